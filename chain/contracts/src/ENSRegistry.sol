// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ENSRegistry: the resolver lookup of ENS, for reverse names on the dev chain.
contract ENSRegistry {
    address public owner;
    mapping(bytes32 => address) private resolvers;

    constructor() {
        owner = msg.sender;
    }

    function setResolver(bytes32 node, address resolverAddress) external {
        require(msg.sender == owner, "ENSRegistry: not owner");
        resolvers[node] = resolverAddress;
    }

    function resolver(bytes32 node) external view returns (address) {
        return resolvers[node];
    }
}

/// @title NameResolver: answers name(node) for reverse records.
contract NameResolver {
    address public owner;
    mapping(bytes32 => string) private names;

    constructor() {
        owner = msg.sender;
    }

    function setName(bytes32 node, string calldata value) external {
        require(msg.sender == owner, "NameResolver: not owner");
        names[node] = value;
    }

    function name(bytes32 node) external view returns (string memory) {
        return names[node];
    }
}
