// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BondingManager: the transcoder pool part of Livepeer's BondingManager.
/// @notice A linked list in registration order (the real one is sorted by
/// stake); readers walk it with getFirstTranscoderInPool/getNextTranscoderInPool.
contract BondingManager {
    enum TranscoderStatus {
        NotRegistered,
        Registered
    }

    address public owner;
    address private first;
    address private last;
    uint256 private size;
    mapping(address => address) private next;
    mapping(address => bool) private inPool;
    mapping(address => bool) private active;

    event TranscoderUpdate(address indexed transcoder, bool active);

    constructor() {
        owner = msg.sender;
    }

    /// @notice Adds a transcoder at the end of the pool, or updates its active flag.
    function setTranscoder(address transcoder, bool isActive) external {
        require(msg.sender == owner, "BondingManager: not owner");
        require(transcoder != address(0), "BondingManager: zero address");
        if (!inPool[transcoder]) {
            inPool[transcoder] = true;
            if (first == address(0)) {
                first = transcoder;
            } else {
                next[last] = transcoder;
            }
            last = transcoder;
            size++;
        }
        active[transcoder] = isActive;
        emit TranscoderUpdate(transcoder, isActive);
    }

    function getFirstTranscoderInPool() external view returns (address) {
        return first;
    }

    function getNextTranscoderInPool(address transcoder) external view returns (address) {
        return next[transcoder];
    }

    function getTranscoderPoolSize() external view returns (uint256) {
        return size;
    }

    function isRegisteredTranscoder(address transcoder) external view returns (bool) {
        return inPool[transcoder];
    }

    function isActiveTranscoder(address transcoder) external view returns (bool) {
        return active[transcoder];
    }

    function transcoderStatus(address transcoder) external view returns (TranscoderStatus) {
        return inPool[transcoder] ? TranscoderStatus.Registered : TranscoderStatus.NotRegistered;
    }
}
