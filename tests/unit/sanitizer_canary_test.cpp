// Built into every unit-test executable of a sanitized build (HPAIO_SANITIZE) only: proves that
// the process really runs with AddressSanitizer, LeakSanitizer and UBSan, so that a sanitized run
// of the unit tests that reports nothing means "nothing found", not "nothing looked".
#include <gtest/gtest.h>

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
  // In a child process (gtest forks it), a block whose only reference is hidden is lost, and the
  // child exits: LeakSanitizer's check at exit reports it and makes the exit status non-zero. The
  // check runs in the single-threaded child, never next to this process's other threads (a check in
  // a busy multi-threaded process can crash LeakSanitizer's tracer).
  EXPECT_DEATH(
      {
        static_cast<void>(masked_block());
        clobber_stack();
        std::exit(0);
      },
      "LeakSanitizer: detected memory leaks");
}
