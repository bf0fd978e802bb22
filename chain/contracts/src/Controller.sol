// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Controller: Livepeer-shaped contract registry (id = keccak256(name)).
contract Controller {
    address public owner;
    mapping(bytes32 => address) private contracts;

    event SetContractInfo(bytes32 id, address contractAddress);

    constructor() {
        owner = msg.sender;
    }

    function setContract(bytes32 id, address contractAddress) external {
        require(msg.sender == owner, "Controller: not owner");
        contracts[id] = contractAddress;
        emit SetContractInfo(id, contractAddress);
    }

    function getContract(bytes32 id) external view returns (address) {
        return contracts[id];
    }
}
