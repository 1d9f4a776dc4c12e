/*
 * gcframe: the gradecoach binary sensor protocol, device side, in plain C99.
 *
 * Frame on the wire:  0x00, COBS(payload || crc16_le(payload)), 0x00
 * CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor.
 * Payload byte 0 is the message type (docs/protocol.md). All numbers little-endian,
 * floats IEEE-754 binary32.
 *
 * Shared by the reference firmware and the host tests, which compile this file with the
 * system C compiler and check that the Python decoder reads its frames byte for byte.
 * No allocation, no globals, no Arduino headers.
 */
#ifndef GCFRAME_H
#define GCFRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GC_MSG_SAMPLES 0x01
#define GC_MSG_IDENTIFY 0x02
#define GC_MSG_COMMAND 0x10
#define GC_MSG_ACK 0x11
#define GC_MSG_ERROR 0x12

#define GC_CMD_IDENTIFY 1
#define GC_CMD_START 2
#define GC_CMD_STOP 3
#define GC_CMD_TARE 4
#define GC_CMD_SET_RATE 5

#define GC_FLAG_IMU 0x01
#define GC_FLAG_RAW_COUNTS 0x02

#define GC_SAMPLE_HEADER 13            /* type, seq, t_us, dt_us, n, flags */
#define GC_MAX_SAMPLES 255
/* bytes a frame of an n-byte payload can take: payload + CRC, COBS overhead, two delimiters */
#define GC_FRAME_MAX(n) ((n) + 2 + ((n) + 2) / 254 + 1 + 2)

typedef struct {
    const char *name;              /* device name, e.g. "gc-ref" */
    const char *firmware;          /* version string */
    float rate_hz;                 /* sample rate */
    const char *units;             /* "N" or "counts" */
    const char *calibration_json;  /* a JSON object, e.g. {"offset":-120.0,"n_per_count":0.00025}; NULL = {} */
    int has_imu;
} gc_identify_t;

typedef struct {
    uint8_t command;               /* GC_CMD_* */
    float arg;                     /* set_rate: Hz */
} gc_command_t;

/* Host commands arrive as frames too; feed received bytes one at a time. */
#define GC_CMD_READER_BUF 32
typedef struct {
    uint8_t buf[GC_CMD_READER_BUF];
    size_t len;
    int overflow;
} gc_cmd_reader_t;

uint16_t gc_crc16(const uint8_t *data, size_t n);

/* COBS-encode n bytes into out (room for n + n/254 + 1); returns the encoded length. */
size_t gc_cobs_encode(const uint8_t *in, size_t n, uint8_t *out);

/* COBS-decode; returns the decoded length, or (size_t)-1 when the input is not valid COBS. */
size_t gc_cobs_decode(const uint8_t *in, size_t n, uint8_t *out);

/* Frame a payload (n <= 1024). Returns the frame length, or 0 when cap is too small. */
size_t gc_frame(const uint8_t *payload, size_t n, uint8_t *out, size_t cap);

/* A sample block: force[n] (N or raw counts), imu[n*6] (ax ay az m/s^2, gx gy gz rad/s) or NULL.
 * seq counts samples; sample k was taken at t_us + k*dt_us. Returns the frame length or 0. */
size_t gc_encode_samples(uint32_t seq, uint32_t t_us, uint16_t dt_us, const float *force, uint8_t n,
                         const float *imu, int raw_counts, uint8_t *out, size_t cap);

/* The identify answer (compact JSON, same key order and number format as the host's encoder
 * for rates with at most one decimal). Returns the frame length or 0. */
size_t gc_encode_identify(const gc_identify_t *id, uint8_t *out, size_t cap);

size_t gc_encode_command(uint8_t command, float arg, uint8_t *out, size_t cap);
size_t gc_encode_ack(uint8_t command, uint8_t status, uint8_t *out, size_t cap);
size_t gc_encode_error(uint8_t code, const char *text, uint8_t *out, size_t cap);

void gc_cmd_reader_init(gc_cmd_reader_t *r);

/* Returns 1 and fills *cmd when byte completes a valid command frame, else 0. Garbage, bad
 * CRCs and other message types are skipped; the reader resynchronises at the next 0x00. */
int gc_cmd_reader_feed(gc_cmd_reader_t *r, uint8_t byte, gc_command_t *cmd);

#ifdef __cplusplus
}
#endif

#endif /* GCFRAME_H */
