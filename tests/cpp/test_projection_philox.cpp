// Philox4x32-10 against the Random123 known-answer vectors and the reference
// implementation, and the uniform mapping of docs/models.md, "Random numbers".
#include <staffcast/projection/philox.hpp>

#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace {

using staffcast::philox4x32;
using staffcast::philox4x32_ctr;
using staffcast::philox4x32_key;

// Known-answer vectors copied from Random123's tests/kat_vectors
// (/usr/share/doc/librandom123-dev/tests/kat_vectors.gz), the three
// "philox4x32 10" lines: counter (4 words), key (2 words), expected output.
struct Kat {
  philox4x32_ctr ctr;
  philox4x32_key key;
  philox4x32_ctr expected;
};
constexpr Kat kat[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000},
     {0x00000000, 0x00000000},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

// Evaluated at compile time: the generator is constexpr.
static_assert(philox4x32<10>({0, 0, 0, 0}, {0, 0})[0] == 0x6627e8d5U);
static_assert(staffcast::philox_uniform(0) == 0.5 / 4294967296.0);

TEST(Philox, KnownAnswerVectors) {
  for (const Kat& k : kat) {
    const philox4x32_ctr out = philox4x32<10>(k.ctr, k.key);
    for (int w = 0; w < 4; ++w) EXPECT_EQ(out[w], k.expected[w]) << "word " << w;
  }
}

TEST(Philox, MatchesRandom123ReferenceOnRandomInputs) {
  std::mt19937_64 gen(20261201);
  r123::Philox4x32 reference;  // 10 rounds
  r123::Philox4x32_R<7> reference7;
  for (int trial = 0; trial < 5000; ++trial) {
    const std::uint64_t a = gen(), b = gen(), c = gen();
    const philox4x32_ctr ctr{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                             static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)};
    const philox4x32_key key{static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(c >> 32)};
    const r123::Philox4x32::ctr_type rc = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    const r123::Philox4x32::key_type rk = {{key[0], key[1]}};
    const auto expected = reference(rc, rk);
    const auto expected7 = reference7(rc, rk);
    const philox4x32_ctr out = philox4x32<10>(ctr, key);
    const philox4x32_ctr out7 = philox4x32<7>(ctr, key);
    for (int w = 0; w < 4; ++w) {
      ASSERT_EQ(out[w], expected.v[w]) << "trial " << trial << " word " << w;
      ASSERT_EQ(out7[w], expected7.v[w]) << "trial " << trial << " word " << w;
    }
  }
}

TEST(Philox, UniformMappingIsExactAndInsideTheOpenInterval) {
  EXPECT_EQ(staffcast::philox_uniform(0), std::ldexp(1.0, -33));
  EXPECT_EQ(staffcast::philox_uniform(0xFFFFFFFFU), 1.0 - std::ldexp(1.0, -33));
  EXPECT_EQ(staffcast::philox_uniform(0x80000000U), 0.5 + std::ldexp(1.0, -33));
  EXPECT_LT(staffcast::philox_uniform(0xFFFFFFFFU), 1.0);
  EXPECT_GT(staffcast::philox_uniform(0), 0.0);
}

TEST(Philox, KeyingOfSeedPersonYearReplicate) {
  // key = (seed low, seed high), counter = (person, year, replicate low, replicate high).
  const std::uint64_t seed = 0x0123456789ABCDEFULL, replicate = 0x0000000500000007ULL;
  const auto key = staffcast::philox_key_of_seed(seed);
  EXPECT_EQ(key[0], 0x89ABCDEFU);
  EXPECT_EQ(key[1], 0x01234567U);
  const auto u = staffcast::person_year_uniforms(key, 42, 3, replicate);
  r123::Philox4x32 reference;
  const auto x = reference({{42, 3, 7, 5}}, {{0x89ABCDEFU, 0x01234567U}});
  for (int w = 0; w < 4; ++w) EXPECT_EQ(u[w], (static_cast<double>(x.v[w]) + 0.5) / 4294967296.0);
}

}  // namespace
