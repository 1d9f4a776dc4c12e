// gradecoach reference sensor: ESP32 + load-cell ADC (+ IMU) -> binary frames over USB and BLE.
//
// Protocol: docs/protocol.md (frames built by lib/gcframe, the same C the host tests compile).
// BLE service: docs/ble.md. Build variants and wiring: platformio.ini and README.md.
//
// A sampling task, woken by the ADC's data-ready line (ADS1220) or polling it (HX711), stamps
// each sample with esp_timer_get_time(), reads the IMU and puts the sample in a ring buffer.
// loop() packs GC_SAMPLES_PER_FRAME samples per frame and writes the frame to USB serial and,
// when a central subscribed, as one BLE notification. Samples the host could not take (ring
// full) are skipped, and the sequence number shows the host how many.

#include <Arduino.h>
#include <BLE2902.h>
#include <BLEDevice.h>
#include <BLEServer.h>
#include <SPI.h>
#include <Wire.h>
#include <esp_timer.h>

extern "C" {
#include "gcframe.h"
}

#ifndef GC_SAMPLES_PER_FRAME
#define GC_SAMPLES_PER_FRAME 10
#endif
#ifndef GC_N_PER_COUNT
#define GC_N_PER_COUNT 0.0005f  // newtons per ADC count; calibrate against a known weight
#endif

static const char *SERVICE_UUID = "34940001-1310-4cf0-a210-d454d5e2e25f";
static const char *DATA_UUID = "34940002-1310-4cf0-a210-d454d5e2e25f";
static const char *CONTROL_UUID = "34940003-1310-4cf0-a210-d454d5e2e25f";

#if defined(GC_IMU_MPU6050) || defined(GC_IMU_LSM6DS3)
#define GC_HAS_IMU 1
#else
#define GC_HAS_IMU 0
#endif

// ---- samples --------------------------------------------------------------------------------

struct Sample {
    uint32_t seq;
    uint32_t t_us;
    float counts;
    float imu[6];
};

static const size_t RING = 1024;  // about half a second at 2 kHz
static Sample ring[RING];
static volatile uint32_t ring_head = 0;  // written by the sampling task
static uint32_t ring_tail = 0;           // read by loop()
static volatile uint32_t seq_taken = 0;  // samples taken since boot (the protocol's seq)

static volatile bool streaming = false;
static volatile float rate_hz = GC_DEFAULT_RATE_HZ;
static float tare_offset = 0.0f;
static volatile int tare_left = 0;
static double tare_sum = 0.0;

static TaskHandle_t sampler = nullptr;

// ---- IMU (register level; ±4 g and ±500 °/s on both parts) -----------------------------------

static const float G = 9.80665f, DEG = 0.01745329252f;

#if defined(GC_IMU_MPU6050)
static const uint8_t IMU_ADDR = 0x68;
static void imu_write(uint8_t reg, uint8_t v) {
    Wire.beginTransmission(IMU_ADDR);
    Wire.write(reg);
    Wire.write(v);
    Wire.endTransmission();
}
static void imu_begin() {
    imu_write(0x6B, 0x01);  // PWR_MGMT_1: wake, PLL on gyro X
    imu_write(0x1A, 0x01);  // CONFIG: DLPF 184 Hz -> 1 kHz internal rate
    imu_write(0x19, 0x00);  // SMPLRT_DIV: 1 kHz
    imu_write(0x1B, 0x08);  // GYRO_CONFIG: ±500 °/s (65.5 LSB per °/s)
    imu_write(0x1C, 0x08);  // ACCEL_CONFIG: ±4 g (8192 LSB per g)
}
static void imu_read(float *out) {
    uint8_t b[14];
    Wire.beginTransmission(IMU_ADDR);
    Wire.write(0x3B);  // ACCEL_XOUT_H .. GYRO_ZOUT_L, big-endian, temperature in between
    if (Wire.endTransmission(false) != 0 || Wire.requestFrom(IMU_ADDR, (uint8_t)14) != 14) return;
    for (int i = 0; i < 14; i++) b[i] = Wire.read();
    for (int k = 0; k < 3; k++) {
        out[k] = (int16_t)(b[2 * k] << 8 | b[2 * k + 1]) / 8192.0f * G;
        out[3 + k] = (int16_t)(b[8 + 2 * k] << 8 | b[9 + 2 * k]) / 65.5f * DEG;
    }
}
#elif defined(GC_IMU_LSM6DS3)
static const uint8_t IMU_ADDR = 0x6A;
static void imu_write(uint8_t reg, uint8_t v) {
    Wire.beginTransmission(IMU_ADDR);
    Wire.write(reg);
    Wire.write(v);
    Wire.endTransmission();
}
static void imu_begin() {
    imu_write(0x10, 0x88);  // CTRL1_XL: 1.66 kHz, ±4 g (0.122 mg/LSB)
    imu_write(0x11, 0x84);  // CTRL2_G: 1.66 kHz, ±500 °/s (17.5 mdps/LSB)
    imu_write(0x12, 0x44);  // CTRL3_C: block data update, register auto-increment
}
static void imu_read(float *out) {
    uint8_t b[12];
    Wire.beginTransmission(IMU_ADDR);
    Wire.write(0x22);  // OUTX_L_G .. OUTZ_H_XL, little-endian: gyro then accel
    if (Wire.endTransmission(false) != 0 || Wire.requestFrom(IMU_ADDR, (uint8_t)12) != 12) return;
    for (int i = 0; i < 12; i++) b[i] = Wire.read();
    for (int k = 0; k < 3; k++) {
        out[3 + k] = (int16_t)(b[2 * k + 1] << 8 | b[2 * k]) * 0.0175f * DEG;
        out[k] = (int16_t)(b[6 + 2 * k + 1] << 8 | b[6 + 2 * k]) * 0.000122f * G;
    }
}
#else
static void imu_begin() {}
static void imu_read(float *) {}
#endif

// ---- load-cell ADC --------------------------------------------------------------------------

#if defined(GC_ADC_ADS1220)
static SPISettings ads_spi(2000000, MSBFIRST, SPI_MODE1);
static void ads_cmd(uint8_t c) {
    SPI.beginTransaction(ads_spi);
    digitalWrite(GC_PIN_ADS_CS, LOW);
    SPI.transfer(c);
    digitalWrite(GC_PIN_ADS_CS, HIGH);
    SPI.endTransaction();
}
static void ads_config(bool turbo, uint8_t dr) {
    uint8_t regs[4] = {
        0x0E,                                                    // AIN0-AIN1, gain 128, PGA on
        (uint8_t)(dr << 5 | (turbo ? 0x10 : 0x00) | 0x04),       // data rate, mode, continuous
        0x40,                                                    // external reference REFP0/REFN0 (ratiometric)
        0x00};
    SPI.beginTransaction(ads_spi);
    digitalWrite(GC_PIN_ADS_CS, LOW);
    SPI.transfer(0x43);  // WREG from register 0, four registers
    for (uint8_t r : regs) SPI.transfer(r);
    digitalWrite(GC_PIN_ADS_CS, HIGH);
    SPI.endTransaction();
    ads_cmd(0x08);  // START/SYNC
}
static bool adc_set_rate(float hz) {
    if (hz == 2000.0f) ads_config(true, 6);        // turbo, DR=110
    else if (hz == 1000.0f) ads_config(false, 6);  // normal, DR=110
    else if (hz == 600.0f) ads_config(false, 5);
    else if (hz == 330.0f) ads_config(false, 4);
    else return false;
    return true;
}
static void IRAM_ATTR on_drdy() {
    BaseType_t woken = pdFALSE;
    vTaskNotifyGiveFromISR(sampler, &woken);
    if (woken) portYIELD_FROM_ISR();
}
static void adc_begin() {
    pinMode(GC_PIN_ADS_CS, OUTPUT);
    digitalWrite(GC_PIN_ADS_CS, HIGH);
    pinMode(GC_PIN_ADS_DRDY, INPUT_PULLUP);
    SPI.begin();
    ads_cmd(0x06);  // RESET
    delay(1);
    adc_set_rate(rate_hz);
    attachInterrupt(digitalPinToInterrupt(GC_PIN_ADS_DRDY), on_drdy, FALLING);
}
static bool adc_wait(int32_t *counts) {
    if (ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(50)) == 0) return false;
    SPI.beginTransaction(ads_spi);
    digitalWrite(GC_PIN_ADS_CS, LOW);
    uint32_t v = (uint32_t)SPI.transfer(0) << 16;
    v |= (uint32_t)SPI.transfer(0) << 8;
    v |= SPI.transfer(0);
    digitalWrite(GC_PIN_ADS_CS, HIGH);
    SPI.endTransaction();
    *counts = (int32_t)(v << 8) >> 8;  // sign-extend 24 bits
    return true;
}
#elif defined(GC_ADC_HX711)
static bool adc_set_rate(float hz) { return hz == 80.0f; }  // RATE pin wired high: 80 Hz only
static void adc_begin() {
    pinMode(GC_PIN_HX711_DOUT, INPUT);
    pinMode(GC_PIN_HX711_SCK, OUTPUT);
    digitalWrite(GC_PIN_HX711_SCK, LOW);
}
static bool adc_wait(int32_t *counts) {
    uint32_t t0 = millis();
    while (digitalRead(GC_PIN_HX711_DOUT) == HIGH) {  // low = conversion ready
        if (millis() - t0 > 50) return false;
        vTaskDelay(1);
    }
    uint32_t v = 0;
    portDISABLE_INTERRUPTS();  // SCK high for over 60 µs would power the chip down
    for (int i = 0; i < 25; i++) {  // 24 data bits, then one pulse: channel A, gain 128
        digitalWrite(GC_PIN_HX711_SCK, HIGH);
        delayMicroseconds(1);
        if (i < 24) v = v << 1 | digitalRead(GC_PIN_HX711_DOUT);
        digitalWrite(GC_PIN_HX711_SCK, LOW);
        delayMicroseconds(1);
    }
    portENABLE_INTERRUPTS();
    *counts = (int32_t)(v << 8) >> 8;
    return true;
}
#else
#error "choose an ADC: -DGC_ADC_HX711 or -DGC_ADC_ADS1220"
#endif

static void sample_task(void *) {
    float imu[6] = {0, 0, 0, 0, 0, 0};
    uint32_t n = 0;
    for (;;) {
        int32_t counts;
        if (!adc_wait(&counts)) continue;
        uint32_t t_us = (uint32_t)esp_timer_get_time();
        // the I²C bus is the bottleneck at 2 kHz: read the IMU on every other sample there
        if (GC_HAS_IMU && (rate_hz <= 1000.0f || (n & 1) == 0)) imu_read(imu);
        n++;
        if (tare_left > 0) {
            tare_sum += counts;
            if (--tare_left == 0) tare_offset = (float)(tare_sum / 64.0);
        }
        uint32_t head = ring_head;
        if (head - ring_tail < RING) {  // full: the sample is lost, the sequence number jumps
            Sample &s = ring[head % RING];
            s.seq = seq_taken;
            s.t_us = t_us;
            s.counts = (float)counts;
            memcpy(s.imu, imu, sizeof imu);
            ring_head = head + 1;
        }
        seq_taken++;
    }
}

// ---- output ---------------------------------------------------------------------------------

static BLECharacteristic *data_char = nullptr;
static volatile bool ble_connected = false;
static gc_cmd_reader_t usb_reader, ble_reader;
static QueueHandle_t commands;

class ServerCallbacks : public BLEServerCallbacks {
    void onConnect(BLEServer *) override { ble_connected = true; }
    void onDisconnect(BLEServer *server) override {
        ble_connected = false;
        server->getAdvertising()->start();  // be found again for the host's reconnect
    }
};

class ControlCallbacks : public BLECharacteristicCallbacks {
    void onWrite(BLECharacteristic *c) override {
        std::string v = c->getValue();
        gc_command_t cmd;
        for (uint8_t b : v)
            if (gc_cmd_reader_feed(&ble_reader, b, &cmd)) xQueueSend(commands, &cmd, 0);
    }
};

static void send(const uint8_t *frame, size_t n) {
    Serial.write(frame, n);
    if (ble_connected && data_char != nullptr) {
        data_char->setValue((uint8_t *)frame, n);  // one frame per notification (MTU 247)
        data_char->notify();
    }
}

static void send_identify() {
    char cal[96];
    snprintf(cal, sizeof cal, "{\"offset\":%.1f,\"n_per_count\":%g}", (double)tare_offset, (double)GC_N_PER_COUNT);
    gc_identify_t id = {GC_DEVICE_NAME, GC_FIRMWARE_VERSION, rate_hz, "counts", cal, GC_HAS_IMU};
    uint8_t frame[GC_FRAME_MAX(400)];
    size_t n = gc_encode_identify(&id, frame, sizeof frame);
    if (n) send(frame, n);
}

static void handle(const gc_command_t &cmd) {
    uint8_t status = 0;
    switch (cmd.command) {
    case GC_CMD_IDENTIFY: send_identify(); break;
    case GC_CMD_START:
        ring_tail = ring_head;  // start fresh; the sequence number still counts from boot
        streaming = true;
        break;
    case GC_CMD_STOP: streaming = false; break;
    case GC_CMD_TARE: tare_sum = 0.0; tare_left = 64; break;
    case GC_CMD_SET_RATE:
        if (adc_set_rate(cmd.arg)) rate_hz = cmd.arg;
        else status = 1;
        break;
    default: status = 1;
    }
    uint8_t frame[16];
    size_t n = gc_encode_ack(cmd.command, status, frame, sizeof frame);
    if (n) send(frame, n);
}

void setup() {
    Serial.setTxBufferSize(8192);
    Serial.begin(GC_SERIAL_BAUD);
    Wire.begin(GC_PIN_SDA, GC_PIN_SCL, 400000);
    gc_cmd_reader_init(&usb_reader);
    gc_cmd_reader_init(&ble_reader);
    commands = xQueueCreate(8, sizeof(gc_command_t));
    imu_begin();

    BLEDevice::init(GC_DEVICE_NAME);
    BLEDevice::setMTU(247);
    BLEServer *server = BLEDevice::createServer();
    server->setCallbacks(new ServerCallbacks());
    BLEService *service = server->createService(SERVICE_UUID);
    data_char = service->createCharacteristic(DATA_UUID, BLECharacteristic::PROPERTY_NOTIFY);
    data_char->addDescriptor(new BLE2902());
    BLECharacteristic *control = service->createCharacteristic(CONTROL_UUID, BLECharacteristic::PROPERTY_WRITE);
    control->setCallbacks(new ControlCallbacks());
    service->start();
    BLEAdvertising *adv = BLEDevice::getAdvertising();
    adv->addServiceUUID(SERVICE_UUID);
    adv->start();

    xTaskCreatePinnedToCore(sample_task, "sample", 4096, nullptr, configMAX_PRIORITIES - 1, &sampler, 1);
    adc_begin();
}

void loop() {
    gc_command_t cmd;
    while (Serial.available())
        if (gc_cmd_reader_feed(&usb_reader, (uint8_t)Serial.read(), &cmd)) handle(cmd);
    while (xQueueReceive(commands, &cmd, 0) == pdTRUE) handle(cmd);

    uint32_t have = ring_head - ring_tail;
    if (have < GC_SAMPLES_PER_FRAME) {
        vTaskDelay(1);
        return;
    }
    float force[GC_SAMPLES_PER_FRAME], imu[GC_SAMPLES_PER_FRAME * 6];
    const Sample first = ring[ring_tail % RING];
    uint8_t k = 0;
    // a frame holds consecutive samples only: a jump (ring was full) starts the next frame
    for (; k < GC_SAMPLES_PER_FRAME; k++) {
        const Sample &s = ring[(ring_tail + k) % RING];
        if (s.seq != first.seq + k) break;
        force[k] = s.counts;
        memcpy(imu + 6 * k, s.imu, sizeof s.imu);
    }
    uint16_t dt_us = (uint16_t)(1e6f / rate_hz + 0.5f);
    ring_tail += k;
    if (!streaming) return;
    uint8_t frame[GC_FRAME_MAX(GC_SAMPLE_HEADER + 4 * 7 * GC_SAMPLES_PER_FRAME)];
    size_t n = gc_encode_samples(first.seq, first.t_us, dt_us, force, k, GC_HAS_IMU ? imu : nullptr, 1, frame,
                                 sizeof frame);
    if (n) send(frame, n);
}
