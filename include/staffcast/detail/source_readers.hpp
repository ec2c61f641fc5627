// The readers over any record source: a CSV file or text (src/) or the
// columns of an Arrow table (the Python bindings).
#pragma once

#include <staffcast/detail/record_source.hpp>
#include <staffcast/io/indicators.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/register.hpp>

namespace staffcast {

/// Reads and validates the register; never throws for bad content (see
/// `issues`), only for an unreadable source (io_error).
RegisterReadResult try_read_register(detail::RecordSource& source, const RegisterOptions& options = {});

/// Reads and validates sick-leave records. With a register, also warns about
/// records of unknown persons or outside their employment.
SickLeaveReadResult try_read_sick_leave(detail::RecordSource& source, const TableOptions& options = {},
                                        const Register* reg = nullptr);

/// Reads and validates indicators.
IndicatorsReadResult try_read_indicators(detail::RecordSource& source, const TableOptions& options = {});

}  // namespace staffcast
