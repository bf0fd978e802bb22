// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IERC20Transfer {
    function transfer(address to, uint256 value) external returns (bool);
}

/// @title MerkleDistributor: claims against a merkle root, in Uniswap's format.
/// @notice leaf = keccak256(abi.encodePacked(uint256 index, address account,
/// uint256 amount)); a parent hashes its two children in ascending order.
contract MerkleDistributor {
    address public immutable token;
    bytes32 public immutable merkleRoot;
    mapping(uint256 => uint256) private claimedWords;

    event Claimed(uint256 index, address account, uint256 amount);

    constructor(address token_, bytes32 merkleRoot_) {
        token = token_;
        merkleRoot = merkleRoot_;
    }

    function isClaimed(uint256 index) public view returns (bool) {
        uint256 bit = 1 << (index % 256);
        return claimedWords[index / 256] & bit == bit;
    }

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata merkleProof) external {
        require(!isClaimed(index), "MerkleDistributor: drop already claimed");
        bytes32 node = keccak256(abi.encodePacked(index, account, amount));
        for (uint256 i = 0; i < merkleProof.length; i++) {
            bytes32 p = merkleProof[i];
            node = node <= p ? keccak256(abi.encodePacked(node, p)) : keccak256(abi.encodePacked(p, node));
        }
        require(node == merkleRoot, "MerkleDistributor: invalid proof");
        claimedWords[index / 256] |= 1 << (index % 256);
        require(IERC20Transfer(token).transfer(account, amount), "MerkleDistributor: transfer failed");
        emit Claimed(index, account, amount);
    }
}
