// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IERC20Like {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title BatchPay: pays many recipients in one transaction.
/// @notice disperseToken moves each value straight from the caller to its
/// recipient with transferFrom, so the token's Transfer logs name the payer and
/// the payee of every payment (what reconciliation matches on). The caller must
/// have approved this contract for the sum of values.
contract BatchPay {
    function disperseToken(address token, address[] calldata recipients, uint256[] calldata values) external {
        require(recipients.length == values.length, "BatchPay: length mismatch");
        IERC20Like t = IERC20Like(token);
        for (uint256 i = 0; i < recipients.length; ) {
            require(t.transferFrom(msg.sender, recipients[i], values[i]), "BatchPay: transfer failed");
            unchecked {
                ++i;
            }
        }
    }
}
