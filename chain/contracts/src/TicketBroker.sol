// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IRounds {
    function currentRound() external view returns (uint256);
    function currentRoundInitialized() external view returns (bool);
    function blockHashForRound(uint256) external view returns (bytes32);
}

interface IPool {
    function isActiveTranscoder(address) external view returns (bool);
    function getTranscoderPoolSize() external view returns (uint256);
}

/// @title TicketBroker: Livepeer's probabilistic micropayment broker.
/// @notice Senders fund a deposit and a reserve; a recipient redeems a
/// winning ticket for its face value, from the deposit first, then from its
/// share of the reserve (reserve ÷ active pool size per round). The checks
/// and their messages are those of Livepeer's TicketBroker.
contract TicketBroker {
    struct Ticket {
        address recipient;
        address sender;
        uint256 faceValue;
        uint256 winProb;
        uint256 senderNonce;
        bytes32 recipientRandHash;
        bytes auxData;
    }

    struct Sender {
        uint256 deposit;
        uint256 withdrawRound;
    }

    struct ReserveInfo {
        uint256 fundsRemaining;
        uint256 claimedInCurrentRound;
    }

    struct Reserve {
        uint256 funds;
        mapping(uint256 => uint256) claimedForRound;
        mapping(uint256 => mapping(address => uint256)) claimedByAddress;
    }

    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    IRounds public roundsManager;
    IPool public bondingManager;
    uint256 public unlockPeriod;
    uint256 public ticketValidityPeriod;

    mapping(address => Sender) internal senders;
    mapping(address => Reserve) internal reserves;
    mapping(bytes32 => bool) public usedTickets;

    event DepositFunded(address indexed sender, uint256 amount);
    event ReserveFunded(address indexed reserveHolder, uint256 amount);
    event ReserveClaimed(address indexed reserveHolder, address claimant, uint256 amount);
    event WinningTicketTransfer(address indexed sender, address indexed recipient, uint256 amount);
    event WinningTicketRedeemed(
        address indexed sender,
        address indexed recipient,
        uint256 faceValue,
        uint256 winProb,
        uint256 senderNonce,
        uint256 recipientRand,
        bytes auxData
    );
    event Unlock(address indexed sender, uint256 startRound, uint256 endRound);
    event UnlockCancelled(address indexed sender);
    event Withdrawal(address indexed sender, uint256 deposit, uint256 reserve);

    constructor(address _roundsManager, address _bondingManager, uint256 _unlockPeriod, uint256 _ticketValidityPeriod) {
        require(_ticketValidityPeriod > 0, "ticketValidityPeriod must be greater than 0");
        roundsManager = IRounds(_roundsManager);
        bondingManager = IPool(_bondingManager);
        unlockPeriod = _unlockPeriod;
        ticketValidityPeriod = _ticketValidityPeriod;
    }

    function fundDeposit() external payable {
        _deposit(msg.sender, msg.value);
    }

    function fundReserve() external payable {
        _reserve(msg.sender, msg.value);
    }

    function fundDepositAndReserve(uint256 _depositAmount, uint256 _reserveAmount) external payable {
        fundDepositAndReserveFor(msg.sender, _depositAmount, _reserveAmount);
    }

    function fundDepositAndReserveFor(address _addr, uint256 _depositAmount, uint256 _reserveAmount) public payable {
        require(
            msg.value == _depositAmount + _reserveAmount,
            "msg.value does not equal sum of deposit amount and reserve amount"
        );
        _deposit(_addr, _depositAmount);
        _reserve(_addr, _reserveAmount);
    }

    function _deposit(address _addr, uint256 _amount) internal {
        Sender storage s = senders[_addr];
        s.deposit += _amount;
        if (msg.sender == _addr && s.withdrawRound > 0) {
            _cancelUnlock(s, _addr);
        }
        emit DepositFunded(_addr, _amount);
    }

    function _reserve(address _addr, uint256 _amount) internal {
        reserves[_addr].funds += _amount;
        Sender storage s = senders[_addr];
        if (msg.sender == _addr && s.withdrawRound > 0) {
            _cancelUnlock(s, _addr);
        }
        emit ReserveFunded(_addr, _amount);
    }

    function redeemWinningTicket(Ticket memory _ticket, bytes memory _sig, uint256 _recipientRand) public {
        require(roundsManager.currentRoundInitialized(), "current round is not initialized");
        bytes32 ticketHash = getTicketHash(_ticket);
        require(_ticket.recipient != address(0), "ticket recipient is null address");
        require(_ticket.sender != address(0), "ticket sender is null address");
        _requireValidAuxData(_ticket.auxData);
        require(
            keccak256(abi.encodePacked(_recipientRand)) == _ticket.recipientRandHash,
            "recipientRand does not match recipientRandHash"
        );
        require(!usedTickets[ticketHash], "ticket is used");
        require(_isValidSig(_ticket.sender, _sig, ticketHash), "invalid signature over ticket hash");
        require(uint256(keccak256(abi.encodePacked(_sig, _recipientRand))) < _ticket.winProb, "ticket did not win");

        Sender storage sender = senders[_ticket.sender];
        require(_isLocked(sender), "sender is unlocked");
        require(sender.deposit > 0 || reserves[_ticket.sender].funds > 0, "sender deposit and reserve are zero");

        usedTickets[ticketHash] = true;
        uint256 amount;
        if (_ticket.faceValue > sender.deposit) {
            amount = sender.deposit + _claimFromReserve(_ticket.sender, _ticket.recipient, _ticket.faceValue - sender.deposit);
            sender.deposit = 0;
        } else {
            amount = _ticket.faceValue;
            sender.deposit -= _ticket.faceValue;
        }
        if (amount > 0) {
            (bool ok, ) = payable(_ticket.recipient).call{value: amount}("");
            require(ok, "transfer to recipient failed");
            emit WinningTicketTransfer(_ticket.sender, _ticket.recipient, amount);
        }
        emit WinningTicketRedeemed(
            _ticket.sender,
            _ticket.recipient,
            _ticket.faceValue,
            _ticket.winProb,
            _ticket.senderNonce,
            _recipientRand,
            _ticket.auxData
        );
    }

    function unlock() external {
        Sender storage s = senders[msg.sender];
        require(s.deposit > 0 || reserves[msg.sender].funds > 0, "sender deposit and reserve are zero");
        require(s.withdrawRound == 0, "unlock already initiated");
        uint256 round = roundsManager.currentRound();
        s.withdrawRound = round + unlockPeriod;
        emit Unlock(msg.sender, round, s.withdrawRound);
    }

    function cancelUnlock() external {
        _cancelUnlock(senders[msg.sender], msg.sender);
    }

    function withdraw() external {
        Sender storage s = senders[msg.sender];
        uint256 deposit = s.deposit;
        uint256 reserve = reserves[msg.sender].funds;
        require(deposit > 0 || reserve > 0, "sender deposit and reserve are zero");
        require(s.withdrawRound > 0, "no unlock request in progress");
        require(!_isLocked(s), "account is locked");
        s.deposit = 0;
        reserves[msg.sender].funds = 0;
        (bool ok, ) = payable(msg.sender).call{value: deposit + reserve}("");
        require(ok, "withdraw transfer failed");
        emit Withdrawal(msg.sender, deposit, reserve);
    }

    function isUnlockInProgress(address _sender) external view returns (bool) {
        return senders[_sender].withdrawRound > 0;
    }

    function getSenderInfo(address _sender) external view returns (Sender memory sender, ReserveInfo memory reserve) {
        sender = senders[_sender];
        reserve.fundsRemaining = reserves[_sender].funds;
        reserve.claimedInCurrentRound = reserves[_sender].claimedForRound[roundsManager.currentRound()];
    }

    function claimableReserve(address _holder, address _claimant) public view returns (uint256) {
        if (!bondingManager.isActiveTranscoder(_claimant)) {
            return 0;
        }
        uint256 poolSize = bondingManager.getTranscoderPoolSize();
        if (poolSize == 0) {
            return 0;
        }
        Reserve storage r = reserves[_holder];
        uint256 round = roundsManager.currentRound();
        return (r.funds + r.claimedForRound[round]) / poolSize - r.claimedByAddress[round][_claimant];
    }

    function claimedReserve(address _holder, address _claimant) external view returns (uint256) {
        return reserves[_holder].claimedByAddress[roundsManager.currentRound()][_claimant];
    }

    function getTicketHash(Ticket memory _ticket) public pure returns (bytes32) {
        return keccak256(
            abi.encodePacked(
                _ticket.recipient,
                _ticket.sender,
                _ticket.faceValue,
                _ticket.winProb,
                _ticket.senderNonce,
                _ticket.recipientRandHash,
                _ticket.auxData
            )
        );
    }

    function _claimFromReserve(address _holder, address _claimant, uint256 _amount) internal returns (uint256) {
        uint256 claimable = claimableReserve(_holder, _claimant);
        uint256 claim = _amount > claimable ? claimable : _amount;
        if (claim > 0) {
            uint256 round = roundsManager.currentRound();
            Reserve storage r = reserves[_holder];
            r.claimedForRound[round] += claim;
            r.claimedByAddress[round][_claimant] += claim;
            r.funds -= claim;
            emit ReserveClaimed(_holder, _claimant, claim);
        }
        return claim;
    }

    function _requireValidAuxData(bytes memory _auxData) internal view {
        require(_auxData.length == 64, "invalid length for ticket auxData: must be 64 bytes");
        uint256 creationRound;
        bytes32 creationRoundBlockHash;
        assembly {
            creationRound := mload(add(_auxData, 32))
            creationRoundBlockHash := mload(add(_auxData, 64))
        }
        bytes32 blockHash = roundsManager.blockHashForRound(creationRound);
        require(blockHash != bytes32(0), "ticket creationRound does not have a block hash");
        require(creationRoundBlockHash == blockHash, "ticket creationRoundBlockHash invalid for creationRound");
        require(creationRound + ticketValidityPeriod > roundsManager.currentRound(), "ticket is expired");
    }

    function _isValidSig(address _sender, bytes memory _sig, bytes32 _hash) internal pure returns (bool) {
        require(_sig.length == 65, "INVALID_SIGNATURE_LENGTH");
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(_sig, 32))
            s := mload(add(_sig, 64))
            v := byte(0, mload(add(_sig, 96)))
        }
        // OpenZeppelin's ECDSA.recover refuses malleable signatures.
        require(uint256(s) <= HALF_N, "ECDSA: invalid signature 's' value");
        require(v == 27 || v == 28, "ECDSA: invalid signature 'v' value");
        address signer = ecrecover(keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", _hash)), v, r, s);
        return signer != address(0) && signer == _sender;
    }

    function _isLocked(Sender memory _sender) internal view returns (bool) {
        return _sender.withdrawRound == 0 || roundsManager.currentRound() < _sender.withdrawRound;
    }

    function _cancelUnlock(Sender storage _sender, address _addr) internal {
        require(_sender.withdrawRound > 0, "no unlock request in progress");
        _sender.withdrawRound = 0;
        emit UnlockCancelled(_addr);
    }
}
