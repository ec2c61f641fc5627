// Exceptions thrown by staffcast. All derive from staffcast::error.
#pragma once

#include <stdexcept>
#include <string>

namespace staffcast {

/// Base of every exception staffcast throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad argument to an API call (unknown dimension, inverted period, ...).
class argument_error : public error {
 public:
  using error::error;
};

/// A file could not be opened, read or written.
class io_error : public error {
 public:
  using error::error;
};

}  // namespace staffcast
