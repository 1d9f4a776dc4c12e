"""Pure codecs for sensor bytes: the reference binary protocol and the ASCII line protocol.

Bytes in, messages out, leftover bytes kept for the next call; I/O lives in the sources
(``firmware_bridge.serial_source``, ``firmware_bridge.ble``). See docs/protocol.md.
"""

from firmware_bridge.protocol.binary import (
    Ack,
    BinaryDecoder,
    Command,
    Error,
    Identify,
    Message,
    SampleBlock,
    crc16,
    decode_payload,
    encode_ack,
    encode_command,
    encode_error,
    encode_frame,
    encode_identify,
    encode_samples,
)
from firmware_bridge.protocol.line import LineDecoder

__all__ = ["Ack", "BinaryDecoder", "Command", "Error", "Identify", "LineDecoder", "Message", "SampleBlock",
           "crc16", "decode_payload", "encode_ack", "encode_command", "encode_error", "encode_frame",
           "encode_identify", "encode_samples"]
