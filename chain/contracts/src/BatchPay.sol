// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BatchPay: pays many recipients in one transaction.
/// @notice disperseToken pulls the sum of values from the caller into this
/// contract with one transferFrom, then transfers each value on to its
/// recipient, so the token's Transfer logs show caller -> this contract (the
/// total) and this contract -> recipient (each payment) in the same
/// transaction. The caller must have approved this contract for the sum of
/// values. Any failed transfer reverts the whole batch, and the contract's own
/// balance must be the same after a batch as before: a batch can neither leave
/// tokens behind nor spend tokens anyone else sent here.
contract BatchPay {
    error LengthMismatch();
    error NotAContract();
    error Overflow();
    error PullFailed();
    error TransferFailed(uint256 index);
    error BalanceChanged();

    function disperseToken(address token, address[] calldata recipients, uint256[] calldata values) external {
        if (recipients.length != values.length) revert LengthMismatch();
        if (token.code.length == 0) revert NotAContract();
        uint256 total;
        bytes4 overflow = Overflow.selector;
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, values.length) { i := add(i, 1) } {
                let sum := add(total, calldataload(add(values.offset, shl(5, i))))
                if lt(sum, total) {
                    mstore(0, overflow)
                    revert(0, 4)
                }
                total := sum
            }
        }
        uint256 before = balance(token);
        if (!succeeded(token, abi.encodeWithSelector(0x23b872dd, msg.sender, address(this), total))) revert PullFailed();
        // The loop is assembly: one transfer call buffer reused for every
        // recipient saves the ABI re-encoding of a high-level call (gas per
        // recipient is what this contract is for).
        bytes4 failed = TransferFailed.selector;
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mstore(buf, shl(224, 0xa9059cbb)) // transfer(address,uint256)
            for { let i := 0 } lt(i, recipients.length) { i := add(i, 1) } {
                let r := calldataload(add(recipients.offset, shl(5, i)))
                if shr(160, r) { revert(0, 0) } // not an address
                mstore(add(buf, 4), r)
                mstore(add(buf, 36), calldataload(add(values.offset, shl(5, i))))
                mstore(0, 0)
                let ok := call(gas(), token, 0, buf, 68, 0, 32)
                // Success: the call did not revert and returned true, or
                // returned nothing (tokens that predate the standard's bool).
                if iszero(and(ok, or(iszero(returndatasize()), eq(mload(0), 1)))) {
                    mstore(0, failed)
                    mstore(4, i)
                    revert(0, 36)
                }
            }
        }
        if (balance(token) != before) revert BalanceChanged();
    }

    /// balance is this contract's balance of token.
    function balance(address token) private view returns (uint256 held) {
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSelector(0x70a08231, address(this)));
        if (!ok || ret.length < 32) revert NotAContract();
        held = abi.decode(ret, (uint256));
    }

    /// succeeded calls token and reports whether the call did not revert and
    /// returned true or nothing.
    function succeeded(address token, bytes memory data) private returns (bool) {
        (bool ok, bytes memory ret) = token.call(data);
        return ok && (ret.length == 0 || (ret.length >= 32 && abi.decode(ret, (bool))));
    }
}
