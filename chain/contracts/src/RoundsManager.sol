// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title RoundsManager: the rounds part of Livepeer's RoundsManager.
/// @notice A round is roundLength blocks, counted from round 1 at block 0;
/// initializing it records the hash of the block before, which tickets
/// created in the round carry.
contract RoundsManager {
    uint256 public roundLength;
    uint256 public lastInitializedRound;
    mapping(uint256 => bytes32) private hashes;

    event NewRound(uint256 indexed round, bytes32 blockHash);

    constructor(uint256 _roundLength) {
        require(_roundLength > 0, "round length must be greater than 0");
        roundLength = _roundLength;
    }

    function blockNum() public view returns (uint256) {
        return block.number;
    }

    function currentRound() public view returns (uint256) {
        return block.number / roundLength + 1;
    }

    function currentRoundInitialized() public view returns (bool) {
        return lastInitializedRound == currentRound();
    }

    /// @notice Initializes the current round.
    function initializeRound() external {
        uint256 round = currentRound();
        require(lastInitializedRound < round, "round already initialized");
        lastInitializedRound = round;
        bytes32 h = blockhash(block.number - 1);
        hashes[round] = h;
        emit NewRound(round, h);
    }

    function blockHashForRound(uint256 _round) external view returns (bytes32) {
        return hashes[_round];
    }
}
