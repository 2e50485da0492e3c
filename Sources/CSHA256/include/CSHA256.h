#ifndef GUIDE_CSHA256_H
#define GUIDE_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has the SHA extensions (x86-64: SHA-NI with SSSE3 and SSE4.1), so that
/// guide_sha256_compress_hardware may be called; 0 elsewhere.
int guide_sha256_hardware(void);

/// Compresses `blocks` 64-byte blocks at `data` into the SHA-256 state `state` (FIPS 180-4,
/// section 6.2.2, words in host order) with the processor's SHA instructions. Only when
/// guide_sha256_hardware() is 1.
void guide_sha256_compress_hardware(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The same compression in portable C (any processor).
void guide_sha256_compress_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
