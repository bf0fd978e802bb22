// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BatchPay: pays many recipients in one transaction.
/// @notice disperseToken moves each value straight from the caller to its
/// recipient with transferFrom, so the token's Transfer logs name the payer and
/// the payee of every payment (what reconciliation matches on). The caller must
/// have approved this contract for the sum of values. Any failed transfer
/// reverts the whole batch.
contract BatchPay {
    error LengthMismatch();
    error NotAContract();
    error TransferFailed(uint256 index);

    function disperseToken(address token, address[] calldata recipients, uint256[] calldata values) external {
        if (recipients.length != values.length) revert LengthMismatch();
        if (token.code.length == 0) revert NotAContract();
        // The loop is assembly: one transferFrom call buffer reused for every
        // recipient saves the ABI re-encoding of a high-level call (gas per
        // recipient is what this contract is for).
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mstore(buf, shl(224, 0x23b872dd)) // transferFrom(address,address,uint256)
            mstore(add(buf, 4), caller())
            let to := add(buf, 36)
            let amount := add(buf, 68)
            let n := recipients.length
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let r := calldataload(add(recipients.offset, shl(5, i)))
                if shr(160, r) { revert(0, 0) } // not an address
                mstore(to, r)
                mstore(amount, calldataload(add(values.offset, shl(5, i))))
                mstore(0, 0)
                let ok := call(gas(), token, 0, buf, 100, 0, 32)
                // Success: the call did not revert and returned true, or
                // returned nothing (tokens that predate the standard's bool).
                if iszero(and(ok, or(iszero(returndatasize()), eq(mload(0), 1)))) {
                    mstore(0, shl(224, 0xc39ba1a9)) // TransferFailed(uint256)
                    mstore(4, i)
                    revert(0, 36)
                }
            }
        }
    }
}
