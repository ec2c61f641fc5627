// The public API pulls in no threads: including any public header (here all of
// them, through the umbrella header) compiles without <thread> or <mutex>. The
// threads live in src/ and in detail/ headers, which only the .cpp files include.
// This file must include nothing before the umbrella header.
#include <staffcast/staffcast.hpp>

#if defined(_GLIBCXX_THREAD) || defined(_GLIBCXX_MUTEX)
#error "a public staffcast header includes <thread> or <mutex>"
#endif

#include <gtest/gtest.h>

#include <string>

TEST(Layering, VersionComesFromTheProject) {
  const std::string version = STAFFCAST_VERSION;
  EXPECT_EQ(version, std::to_string(STAFFCAST_VERSION_MAJOR) + "." + std::to_string(STAFFCAST_VERSION_MINOR) + "." +
                         std::to_string(STAFFCAST_VERSION_PATCH));
}
