// Compiler hints used by the kernels.
#pragma once

#if defined(__GNUC__)
// Out of line and cold: the throws of small functions that must stay inlinable.
#define STAFFCAST_COLD __attribute__((noinline, cold))
// Inlined even where the compiler's size heuristics would not: the per-spell
// helpers of the scans (a call there costs a spill of the scan's registers).
#define STAFFCAST_INLINE inline __attribute__((always_inline))
// Never inlined (a rare path kept out of the hot function that calls it).
#define STAFFCAST_NOINLINE __attribute__((noinline))
#else
#define STAFFCAST_COLD
#define STAFFCAST_INLINE inline
#define STAFFCAST_NOINLINE
#endif
