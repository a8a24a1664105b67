// Built into every unit-test executable of a sanitized build (HPAIO_SANITIZE) only: proves that
// the process really runs with AddressSanitizer, LeakSanitizer and UBSan, so that a sanitized run
// of the unit tests that reports nothing means "nothing found", not "nothing looked".
#include <gtest/gtest.h>
#include <sanitizer/lsan_interface.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// Opaque to the optimiser, so that the faults below happen at run time and their results are kept.
volatile int g_index = 4;
volatile int g_big = INT_MAX;
volatile int g_sink = 0;

// Allocated out of sight, so that only AddressSanitizer (not UBSan's object-size check) knows the
// block's size.
__attribute__((noinline)) int* four_ints() { return new int[4]; }

__attribute__((noinline)) void read_past_end() {
  int* p = four_ints();
  std::memset(p, 0, 4 * sizeof(int));
  g_sink = p[g_index];  // one past the end
  delete[] p;
}

__attribute__((noinline)) void overflow_signed() {
  int big = g_big;
  g_sink = big + 1;
}

}  // namespace

TEST(SanitizerCanary, AddressSanitizerCatchesAHeapOverflow) { EXPECT_DEATH(read_past_end(), "heap-buffer-overflow"); }

TEST(SanitizerCanary, UndefinedBehaviourSanitizerCatchesASignedOverflow) {
  EXPECT_DEATH(overflow_signed(), "signed integer overflow");
}

constexpr std::uintptr_t kMask = 0x5a5a5a5a5a5a5a5aULL;

// The block's only reference leaves as a masked number, so no register or stack slot of the
// caller holds its address.
__attribute__((noinline)) std::uintptr_t masked_block() {
  return reinterpret_cast<std::uintptr_t>(std::malloc(4096)) ^ kMask;
}

// Overwrites the stack below the caller, where masked_block's frame was.
__attribute__((noinline)) void clobber_stack() {
  volatile char scratch[8192];
  for (char& c : const_cast<char(&)[8192]>(scratch)) c = 0;
}

TEST(SanitizerCanary, LeakSanitizerFindsALeak) {
  // LeakSanitizer sees the block as leaked: the recoverable check reports it and says so
  // (non-zero). Then the block is freed, so that the check at exit finds nothing.
  volatile std::uintptr_t hidden = masked_block();
  clobber_stack();
  std::fprintf(stderr, "SanitizerCanary: the leak of 4096 bytes reported next is the deliberate one\n");
  EXPECT_NE(__lsan_do_recoverable_leak_check(), 0) << "LeakSanitizer is off (ASAN_OPTIONS=detect_leaks=0?)";
  std::free(reinterpret_cast<void*>(hidden ^ kMask));
}
