/* gcframe: see gcframe.h and docs/protocol.md. */
#include "gcframe.h"

#include <stdio.h>
#include <string.h>

#define GC_PAYLOAD_MAX 1024

uint16_t gc_crc16(const uint8_t *data, size_t n)
{
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)data[i] << 8;
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

size_t gc_cobs_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t code_at = 0, o = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == 0) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
        } else {
            out[o++] = in[i];
            if (++code == 0xFF) {
                out[code_at] = code;
                code_at = o++;
                code = 1;
            }
        }
    }
    out[code_at] = code;
    return o;
}

size_t gc_cobs_decode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t code = in[i];
        if (code == 0 || i + code > n)
            return (size_t)-1;
        for (size_t k = 1; k < code; k++) {
            if (in[i + k] == 0)
                return (size_t)-1;
            out[o++] = in[i + k];
        }
        i += code;
        if (code < 0xFF && i < n)
            out[o++] = 0;
    }
    return o;
}

size_t gc_frame(const uint8_t *payload, size_t n, uint8_t *out, size_t cap)
{
    uint8_t raw[GC_PAYLOAD_MAX + 2];
    if (n > GC_PAYLOAD_MAX || cap < GC_FRAME_MAX(n))
        return 0;
    memcpy(raw, payload, n);
    uint16_t crc = gc_crc16(payload, n);
    raw[n] = (uint8_t)(crc & 0xFF);
    raw[n + 1] = (uint8_t)(crc >> 8);
    out[0] = 0;
    size_t len = gc_cobs_encode(raw, n + 2, out + 1);
    out[len + 1] = 0;
    return len + 2;
}

static uint8_t *put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return p + 4;
}

static uint8_t *put_f32(uint8_t *p, float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    return put_u32(p, v);
}

size_t gc_encode_samples(uint32_t seq, uint32_t t_us, uint16_t dt_us, const float *force, uint8_t n,
                         const float *imu, int raw_counts, uint8_t *out, size_t cap)
{
    uint8_t payload[GC_PAYLOAD_MAX];
    size_t need = GC_SAMPLE_HEADER + 4u * n * (imu ? 7u : 1u);
    if (n == 0 || need > sizeof payload)
        return 0;
    uint8_t *p = payload;
    *p++ = GC_MSG_SAMPLES;
    p = put_u32(p, seq);
    p = put_u32(p, t_us);
    p = put_u16(p, dt_us);
    *p++ = n;
    *p++ = (uint8_t)((imu ? GC_FLAG_IMU : 0) | (raw_counts ? GC_FLAG_RAW_COUNTS : 0));
    for (uint8_t k = 0; k < n; k++)
        p = put_f32(p, force[k]);
    if (imu)
        for (size_t k = 0; k < (size_t)n * 6; k++)
            p = put_f32(p, imu[k]);
    return gc_frame(payload, (size_t)(p - payload), out, cap);
}

/* a JSON string literal; names and versions are short ASCII, escaping covers the rest */
static int json_str(char *dst, size_t cap, const char *s)
{
    size_t o = 0;
    if (cap < 3)
        return -1;
    dst[o++] = '"';
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (o + 7 >= cap)
            return -1;
        if (c == '"' || c == '\\') {
            dst[o++] = '\\';
            dst[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(dst + o, cap - o, "\\u%04x", c);
        } else {
            dst[o++] = (char)c;
        }
    }
    dst[o++] = '"';
    dst[o] = 0;
    return (int)o;
}

size_t gc_encode_identify(const gc_identify_t *id, uint8_t *out, size_t cap)
{
    char name[96], fw[64], units[32];
    char payload[GC_PAYLOAD_MAX];
    if (json_str(name, sizeof name, id->name) < 0 || json_str(fw, sizeof fw, id->firmware) < 0 ||
        json_str(units, sizeof units, id->units) < 0)
        return 0;
    int len = snprintf(payload, sizeof payload,
                       "%c{\"name\":%s,\"firmware\":%s,\"rate_hz\":%.1f,\"units\":%s,\"calibration\":%s,"
                       "\"has_imu\":%s}",
                       GC_MSG_IDENTIFY, name, fw, (double)id->rate_hz, units,
                       id->calibration_json ? id->calibration_json : "{}", id->has_imu ? "true" : "false");
    if (len < 0 || (size_t)len >= sizeof payload)
        return 0;
    return gc_frame((const uint8_t *)payload, (size_t)len, out, cap);
}

size_t gc_encode_command(uint8_t command, float arg, uint8_t *out, size_t cap)
{
    uint8_t payload[6] = {GC_MSG_COMMAND, command};
    put_f32(payload + 2, arg);
    return gc_frame(payload, sizeof payload, out, cap);
}

size_t gc_encode_ack(uint8_t command, uint8_t status, uint8_t *out, size_t cap)
{
    uint8_t payload[3] = {GC_MSG_ACK, command, status};
    return gc_frame(payload, sizeof payload, out, cap);
}

size_t gc_encode_error(uint8_t code, const char *text, uint8_t *out, size_t cap)
{
    uint8_t payload[128] = {GC_MSG_ERROR, code};
    size_t n = text ? strlen(text) : 0;
    if (n > sizeof payload - 2)
        n = sizeof payload - 2;
    if (n)
        memcpy(payload + 2, text, n);
    return gc_frame(payload, n + 2, out, cap);
}

void gc_cmd_reader_init(gc_cmd_reader_t *r)
{
    r->len = 0;
    r->overflow = 0;
}

int gc_cmd_reader_feed(gc_cmd_reader_t *r, uint8_t byte, gc_command_t *cmd)
{
    if (byte != 0) {
        if (r->len < sizeof r->buf)
            r->buf[r->len++] = byte;
        else
            r->overflow = 1;       /* too long for a command: skip it whole */
        return 0;
    }
    size_t n = r->len;
    int overflow = r->overflow;
    r->len = 0;
    r->overflow = 0;
    if (n == 0 || overflow)
        return 0;
    uint8_t raw[GC_CMD_READER_BUF];
    size_t m = gc_cobs_decode(r->buf, n, raw);
    if (m != 8 || raw[0] != GC_MSG_COMMAND)
        return 0;
    if (gc_crc16(raw, 6) != (uint16_t)(raw[6] | (raw[7] << 8)))
        return 0;
    uint32_t v = (uint32_t)raw[2] | (uint32_t)raw[3] << 8 | (uint32_t)raw[4] << 16 | (uint32_t)raw[5] << 24;
    cmd->command = raw[1];
    memcpy(&cmd->arg, &v, 4);
    return 1;
}
