// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ServiceRegistry: where each orchestrator says its service URI is.
contract ServiceRegistry {
    address public owner;
    mapping(address => string) private uris;

    event ServiceURIUpdate(address indexed addr, string serviceURI);

    constructor() {
        owner = msg.sender;
    }

    /// @notice Sets the caller's own service URI (as on Livepeer).
    function setServiceURI(string calldata serviceURI) external {
        uris[msg.sender] = serviceURI;
        emit ServiceURIUpdate(msg.sender, serviceURI);
    }

    /// @notice Sets another address's URI; the dev chain seeds its registry with it.
    function setServiceURIFor(address addr, string calldata serviceURI) external {
        require(msg.sender == owner, "ServiceRegistry: not owner");
        uris[addr] = serviceURI;
        emit ServiceURIUpdate(addr, serviceURI);
    }

    function getServiceURI(address addr) external view returns (string memory) {
        return uris[addr];
    }
}
