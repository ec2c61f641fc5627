// The layout of a saved register's record batch (docs/data.md#saved-registers):
// its columns, metadata keys, the encoding of the metadata and the warnings, the
// structural checks of a batch and its checksum. Shared by the export
// (saved_export.cpp) and the load (saved_register.cpp); private to src/io/.
#pragma once

#include <staffcast/detail/arrow_c.hpp>
#include <staffcast/register/issues.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace staffcast::detail::saved {

enum class Kind { u8, u32, date, dictionary };

struct ColumnSpec {
  const char* name;
  Kind kind;
};

// The register's columns in the batch, in this order; then one dictionary column
// per pass-through dimension, named as the dimension.
inline constexpr ColumnSpec fixed_columns[] = {{"employee_id", Kind::dictionary},
                                               {"birth_date", Kind::date},
                                               {"gender", Kind::u8},
                                               {"employment_form", Kind::u8},
                                               {"position", Kind::dictionary},
                                               {"department", Kind::dictionary},
                                               {"fte", Kind::u8},
                                               {"start_date", Kind::date},
                                               {"end_date", Kind::date},
                                               {"end_reason", Kind::u8},
                                               {"recruitment_source", Kind::u8},
                                               {"manager", Kind::u32},
                                               {"source_row", Kind::u32},
                                               {"start_kind", Kind::u8},
                                               {"end_kind", Kind::u8},
                                               {"start_partner", Kind::u32},
                                               {"end_partner", Kind::u32},
                                               {"chain_start", Kind::date}};
inline constexpr std::size_t fixed_count = sizeof(fixed_columns) / sizeof(fixed_columns[0]);

inline const char* format_of(Kind kind) {
  switch (kind) {
    case Kind::u8:
      return "C";
    case Kind::u32:
      return "I";
    case Kind::date:
      return "tdD";
    case Kind::dictionary:
      return "i";  // int32 indices; the dictionary is "u" (utf8)
  }
  return "";
}

inline std::size_t width_of(Kind kind) { return kind == Kind::u8 ? 1 : 4; }

inline constexpr std::string_view key_format = "staffcast.format";
inline constexpr std::string_view key_label = "staffcast.label";
inline constexpr std::string_view key_persons = "staffcast.persons";
inline constexpr std::string_view key_rows_read = "staffcast.rows_read";
inline constexpr std::string_view key_extracted_on = "staffcast.extracted_on";
inline constexpr std::string_view key_given = "staffcast.extracted_on_given";
inline constexpr std::string_view key_today = "staffcast.today";
inline constexpr std::string_view key_issues = "staffcast.issues";
inline constexpr std::string_view key_checksum = "staffcast.checksum";

using Metadata = std::vector<std::pair<std::string, std::string>>;

/// Refuses a batch: argument_error "<file> is not a valid saved staffcast register: <what>".
[[noreturn]] void refuse(const std::string& file, const std::string& what);

/// Arrow's C layout of metadata (int32 count, then int32-prefixed keys and values).
Metadata parse_metadata(const char* raw, const std::string& file);
std::string encode_metadata(const Metadata& entries);
const std::string* find(const Metadata& m, std::string_view key);

/// The warnings as stored in staffcast.issues, and back (refused when damaged).
std::string encode_issues(const IssueList& issues);
IssueList decode_issues(std::string_view text, const std::string& file);

/// A count stored as decimal text.
std::int64_t parse_count(const std::string& text, const std::string& file, const char* what);

/// A column of the batch, checked for its structure: where its values start.
struct ColumnView {
  std::string name;
  Kind kind = Kind::u8;
  const unsigned char* values = nullptr;  // length * width bytes
  // dictionary columns: the dictionary's offsets (length + 1, from its offset) and bytes
  std::int64_t dictionary_length = 0;
  const std::int32_t* offsets = nullptr;
  const char* data = nullptr;
};

struct BatchView {
  std::int64_t length = 0;
  std::vector<ColumnView> columns;
  Metadata metadata;
};

/// The batch's columns after the structural checks (format, names, types, lengths,
/// nulls, alignment, dictionary offsets); throws through refuse.
BatchView view_batch(const ArrowArray& batch, const ArrowSchema& schema, const std::string& file);

/// Rows per block of the checksum (a format constant: changing it changes every checksum).
inline constexpr std::size_t checksum_block_rows = 16384;

/// Called for the rows [from, to) of one block right after their values were hashed,
/// on the thread (0 or 1) that hashed them.
using BlockVisitor = std::function<void(int thread, std::size_t from, std::size_t to)>;

/// The checksum of a batch: XXH64 of each piece (every column's name, its values
/// in blocks of checksum_block_rows rows, its dictionary's offsets counted from
/// zero and its dictionary's texts; a column without a dictionary has two empty
/// pieces), then XXH64 of those digests in that order, then chained over the
/// metadata other than the checksum. Large batches are hashed on two threads,
/// which take blocks as they go; `beside` runs on the second first, and `visit`
/// sees each block while its values are in cache (the loader's checks).
std::uint64_t checksum_of(const BatchView& view, const BlockVisitor& visit = {},
                          const std::function<void()>& beside = {});

/// 16 lower-case hexadecimal digits.
std::string hex64(std::uint64_t v);

}  // namespace staffcast::detail::saved
