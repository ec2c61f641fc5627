// Saved registers as Arrow data: a validated Register exported as one record
// batch through the Arrow C data interface, and a Register built back from such
// a batch, from any producer (pyarrow reading an Arrow IPC file, Arrow C++,
// nanoarrow, ...). Every buffer is checked before a column is used: the
// checksum, the format version, lengths, nulls, codes, partners, dates and
// string offsets; the register's columns are then views of the batch's buffers
// (no copy). The layout and the checks: docs/data.md#saved-registers; C++ use:
// docs/cpp.md.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/register/register.hpp>

#include <cstdint>
#include <optional>
#include <string>

// The Arrow C data interface structs (staffcast/detail/arrow_c.hpp defines them
// exactly as the Arrow specification does; so does Arrow's own abi.h).
struct ArrowArray;
struct ArrowSchema;

namespace staffcast {

/// The layout of saved registers this library writes and reads.
inline constexpr int saved_register_format = 3;

/// Fills `out` and `out_schema` with `reg` as one record batch: a struct array
/// whose children are the register's columns, and the schema with the facts
/// (format, label, extraction date, warnings) and the checksum as metadata.
/// The batch owns copies of the columns; whoever holds it calls the release
/// callbacks (pyarrow's RecordBatch._import_from_c does).
void export_saved_register(const Register& reg, const std::string& label, ArrowArray* out, ArrowSchema* out_schema);

/// How a saved register is loaded.
struct SavedRegisterOptions {
  std::string file = "<saved register>";  // names the input in errors
  /// Given: the extraction date, replacing the saved one (and its assumed warning);
  /// the earliest observed end is derived again, nothing else depends on it.
  std::optional<day_t> extracted_on;
};

/// Builds the register from a batch export_saved_register made (after it went
/// through an Arrow IPC file, say). Takes ownership of both structs: the schema
/// is released before returning; the batch is moved out of `*batch` (its release
/// set to null) and its buffers become the register's columns and dictionaries,
/// without a copy, until the last register or column sharing them is destroyed.
/// When it throws, both are released. Throws argument_error naming
/// `options.file` when the batch is not a saved register of this format or a
/// check fails (a truncated, foreign or changed file); nothing is trusted.
/// The interface gives no buffer sizes: string offsets are checked to be
/// non-negative and increasing, and the producer vouches that its buffers hold
/// what lengths and offsets say (pyarrow's RecordBatch.validate() checks it).
Register register_from_arrow(ArrowArray* batch, ArrowSchema* schema, const SavedRegisterOptions& options = {});

/// The checksum stored in a saved register's metadata (`staffcast.checksum`,
/// 16 hexadecimal digits): XXH64 of each piece (every column's name, its values
/// in blocks of 16,384 rows, its dictionary's offsets from 0 and bytes), XXH64
/// of those digests, then chained over the other metadata entries sorted by key
/// (docs/data.md#saved-registers). The batch stays owned by the caller.
std::uint64_t saved_register_checksum(const ArrowArray& batch, const ArrowSchema& schema);

}  // namespace staffcast
