// Saved registers through the Arrow C data interface (io/saved_register.hpp):
// the export of a register as one record batch, and the checked way back.
#include <staffcast/detail/arrow_c.hpp>
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/xxh64.hpp>
#include <staffcast/io/saved_register.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace staffcast {

namespace {

// ---------------------------------------------------------------- the layout

enum class Kind { u8, u32, date, dictionary };

struct ColumnSpec {
  const char* name;
  Kind kind;
};

// The register's columns in the batch, in this order; then one dictionary column
// per pass-through dimension, named as the dimension.
constexpr ColumnSpec fixed_columns[] = {{"employee_id", Kind::dictionary},
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
constexpr std::size_t fixed_count = sizeof(fixed_columns) / sizeof(fixed_columns[0]);

const char* format_of(Kind kind) {
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

std::size_t width_of(Kind kind) { return kind == Kind::u8 ? 1 : 4; }

constexpr std::string_view key_format = "staffcast.format";
constexpr std::string_view key_label = "staffcast.label";
constexpr std::string_view key_persons = "staffcast.persons";
constexpr std::string_view key_rows_read = "staffcast.rows_read";
constexpr std::string_view key_extracted_on = "staffcast.extracted_on";
constexpr std::string_view key_given = "staffcast.extracted_on_given";
constexpr std::string_view key_today = "staffcast.today";
constexpr std::string_view key_issues = "staffcast.issues";
constexpr std::string_view key_checksum = "staffcast.checksum";

using Metadata = std::vector<std::pair<std::string, std::string>>;

/// A refusal that names the file.
[[noreturn]] void refuse(const std::string& file, const std::string& what) {
  throw argument_error(file + " is not a valid saved staffcast register: " + what);
}

// ---------------------------------------------------------------- metadata (Arrow's C layout)

std::int32_t read_i32(const char*& p) {
  std::int32_t v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

void write_i32(std::string& out, std::size_t v) {
  if (v > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw argument_error("a saved register's metadata entry exceeds 2 GB");
  }
  const auto n = static_cast<std::int32_t>(v);
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
}

Metadata parse_metadata(const char* raw, const std::string& file) {
  Metadata out;
  if (raw == nullptr) return out;
  const char* p = raw;
  const std::int32_t count = read_i32(p);
  if (count < 0) refuse(file, "its schema metadata is damaged");
  for (std::int32_t i = 0; i < count; ++i) {
    std::string parts[2];
    for (std::string& part : parts) {
      const std::int32_t size = read_i32(p);
      if (size < 0) refuse(file, "its schema metadata is damaged");
      part.assign(p, static_cast<std::size_t>(size));
      p += size;
    }
    out.emplace_back(std::move(parts[0]), std::move(parts[1]));
  }
  return out;
}

std::string encode_metadata(const Metadata& entries) {
  std::string out;
  write_i32(out, entries.size());
  for (const auto& [key, value] : entries) {
    write_i32(out, key.size());
    out += key;
    write_i32(out, value.size());
    out += value;
  }
  return out;
}

const std::string* find(const Metadata& m, std::string_view key) {
  for (const auto& entry : m) {
    if (entry.first == key) return &entry.second;
  }
  return nullptr;
}

// The warnings: each field a netstring ("<bytes>:<text>,"), the numbers in decimal,
// so the value stays valid UTF-8 text (issue texts are, IssueList escapes them).
void put(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
  out += ',';
}

std::string encode_issues(const IssueList& issues) {
  std::string out;
  put(out, std::to_string(issues.items().size()));
  for (const Issue& issue : issues.items()) {
    put(out, issue.file);
    put(out, std::to_string(issue.row));
    put(out, std::to_string(issue.line));
    put(out, issue.column);
    put(out, issue.code);
    put(out, issue.message);
    put(out, issue.value);
    put(out, issue.severity == Severity::error ? "error" : "warning");
  }
  return out;
}

class NetstringReader {
 public:
  NetstringReader(std::string_view text, const std::string& file) : text_(text), file_(file) {}
  /// A text field: valid UTF-8, as every issue text is.
  std::string text() {
    const std::string_view field = next();
    if (!detail::is_valid_utf8(field)) bad();
    return std::string(field);
  }
  std::string_view next() {
    const std::size_t colon = text_.find(':', at_);
    if (colon == std::string_view::npos || colon == at_ || colon - at_ > 10) bad();
    std::size_t size = 0;
    for (std::size_t i = at_; i < colon; ++i) {
      if (text_[i] < '0' || text_[i] > '9') bad();
      size = size * 10 + static_cast<std::size_t>(text_[i] - '0');
    }
    if (size > text_.size() - colon - 1 || colon + 1 + size >= text_.size() || text_[colon + 1 + size] != ',') bad();
    const std::string_view out = text_.substr(colon + 1, size);
    at_ = colon + size + 2;
    return out;
  }
  std::int64_t number() {
    const std::string_view text = next();
    std::int64_t v = 0;
    bool negative = false;
    std::size_t i = 0;
    if (!text.empty() && text[0] == '-') {
      negative = true;
      i = 1;
    }
    if (i == text.size() || text.size() > 19) bad();
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') bad();
      v = v * 10 + (text[i] - '0');
    }
    return negative ? -v : v;
  }
  [[nodiscard]] bool done() const { return at_ == text_.size(); }
  [[noreturn]] void bad() const { refuse(file_, "its warnings (staffcast.issues) are damaged"); }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
  const std::string& file_;
};

IssueList decode_issues(std::string_view text, const std::string& file) {
  NetstringReader in(text, file);
  const std::int64_t count = in.number();
  if (count < 0 || static_cast<std::uint64_t>(count) > text.size()) in.bad();
  IssueList issues(std::max<std::size_t>(static_cast<std::size_t>(count), 10000));
  for (std::int64_t i = 0; i < count; ++i) {
    Issue issue;
    issue.file = in.text();
    issue.row = in.number();
    issue.line = in.number();
    issue.column = in.text();
    issue.code = in.text();
    issue.message = in.text();
    issue.value = in.text();
    const std::string_view severity = in.next();
    if (severity != "error" && severity != "warning") in.bad();
    issue.severity = severity == "error" ? Severity::error : Severity::warning;
    issues.add(std::move(issue));
  }
  if (!in.done()) in.bad();
  return issues;
}

std::int64_t parse_count(const std::string& text, const std::string& file, const char* what) {
  if (text.empty() || text.size() > 18) refuse(file, std::string("its ") + what + " is not a number");
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') refuse(file, std::string("its ") + what + " is not a number");
    v = v * 10 + (c - '0');
  }
  return v;
}

// ---------------------------------------------------------------- the structure, checked

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

bool no_nulls(const ArrowArray& a) {
  return a.null_count == 0 || (a.null_count == -1 && a.n_buffers >= 1 && a.buffers[0] == nullptr);
}

BatchView view_batch(const ArrowArray& batch, const ArrowSchema& schema, const std::string& file) {
  BatchView view;
  if (batch.release == nullptr || schema.release == nullptr) refuse(file, "the batch was already released");
  if (schema.format == nullptr || std::string_view(schema.format) != "+s") refuse(file, "it is not a record batch");
  view.metadata = parse_metadata(schema.metadata, file);
  const std::string* format = find(view.metadata, key_format);
  if (format == nullptr) refuse(file, "it has no staffcast.format in its metadata (another program's Arrow file?)");
  if (*format != std::to_string(saved_register_format)) {
    refuse(file, "it is saved in format " + printable(*format) + "; this staffcast reads format " +
                     std::to_string(saved_register_format) + " (save it again from its source)");
  }
  if (batch.n_children != schema.n_children || schema.n_children < static_cast<std::int64_t>(fixed_count) ||
      (schema.n_children > 0 && (schema.children == nullptr || batch.children == nullptr))) {
    refuse(file, "it has " + std::to_string(schema.n_children) + " columns, not the " + std::to_string(fixed_count) +
                     " of a saved register and its dimensions");
  }
  if (batch.length < 0 || batch.offset != 0 || !no_nulls(batch)) refuse(file, "its record batch is damaged");
  view.length = batch.length;
  const std::int64_t n = batch.length;
  for (std::int64_t c = 0; c < schema.n_children; ++c) {
    const ArrowSchema* s = schema.children[c];
    const ArrowArray* a = batch.children[c];
    if (s == nullptr || a == nullptr || s->format == nullptr) refuse(file, "its record batch is damaged");
    ColumnView column;
    column.name = s->name != nullptr ? s->name : "";
    column.kind = static_cast<std::size_t>(c) < fixed_count ? fixed_columns[c].kind : Kind::dictionary;
    if (static_cast<std::size_t>(c) < fixed_count && column.name != fixed_columns[c].name) {
      refuse(file, "column " + std::to_string(c + 1) + " is '" + printable(column.name) + "', not '" +
                       fixed_columns[c].name + "'");
    }
    const std::string where = "column " + printable(column.name);
    if (std::string_view(s->format) != format_of(column.kind)) {
      refuse(file, where + " has Arrow type '" + printable(s->format) + "', not '" + format_of(column.kind) + "'");
    }
    if (a->length != n) {
      refuse(file, where + " has " + std::to_string(a->length) + " rows, not " + std::to_string(n));
    }
    if (a->n_buffers != 2 || a->buffers == nullptr || a->n_children != 0 || a->offset < 0 ||
        a->offset > std::numeric_limits<std::int64_t>::max() / 8 - n) {
      refuse(file, where + " is damaged");
    }
    if (!no_nulls(*a)) refuse(file, where + " has missing values");
    if (n > 0 && a->buffers[1] == nullptr) refuse(file, where + " has no values");
    column.values = static_cast<const unsigned char*>(a->buffers[1]) +
                    (n > 0 ? a->offset * static_cast<std::int64_t>(width_of(column.kind)) : 0);
    if (reinterpret_cast<std::uintptr_t>(column.values) % width_of(column.kind) != 0) {
      refuse(file, where + " is not aligned in memory");
    }
    if (column.kind == Kind::dictionary) {
      const ArrowSchema* ds = s->dictionary;
      const ArrowArray* da = a->dictionary;
      if (ds == nullptr || da == nullptr || ds->format == nullptr || std::string_view(ds->format) != "u") {
        refuse(file, where + " has no dictionary of text");
      }
      if (da->length < 0 || da->offset < 0 || da->n_buffers != 3 || da->buffers == nullptr ||
          da->offset > std::numeric_limits<std::int32_t>::max() - da->length) {
        refuse(file, where + ": its dictionary is damaged");
      }
      if (!no_nulls(*da)) refuse(file, where + ": its dictionary has missing values");
      column.dictionary_length = da->length;
      if (da->length > 0) {
        if (da->buffers[1] == nullptr || da->buffers[2] == nullptr) refuse(file, where + ": its dictionary is damaged");
        column.offsets = static_cast<const std::int32_t*>(da->buffers[1]) + da->offset;
        if (reinterpret_cast<std::uintptr_t>(column.offsets) % alignof(std::int32_t) != 0) {
          refuse(file, where + ": its dictionary is not aligned in memory");
        }
        column.data = static_cast<const char*>(da->buffers[2]);
        if (column.offsets[0] < 0) refuse(file, where + ": its dictionary's offsets are negative");
        for (std::int64_t i = 0; i < da->length; ++i) {
          if (column.offsets[i + 1] < column.offsets[i]) refuse(file, where + ": its dictionary's offsets decrease");
        }
      }
    } else if (s->dictionary != nullptr || a->dictionary != nullptr) {
      refuse(file, where + " is dictionary-encoded");
    }
    view.columns.push_back(std::move(column));
  }
  for (std::size_t c = fixed_count; c < view.columns.size(); ++c) {
    if (view.columns[c].name.empty() || !detail::is_valid_utf8(view.columns[c].name)) {
      refuse(file, "a dimension's name is empty or not UTF-8");
    }
    for (std::size_t d = 0; d < c; ++d) {
      if (view.columns[d].name == view.columns[c].name)
        refuse(file, "column " + printable(view.columns[c].name) + " twice");
    }
  }
  return view;
}

std::uint64_t checksum_of(const BatchView& view) {
  std::uint64_t h = 0;
  const auto n = static_cast<std::size_t>(view.length);
  for (const ColumnView& column : view.columns) {
    h = detail::xxh64(column.name.data(), column.name.size(), h);
    h = detail::xxh64(column.values, n * width_of(column.kind), h);
    if (column.kind == Kind::dictionary && column.dictionary_length > 0) {
      const auto m = static_cast<std::size_t>(column.dictionary_length);
      std::vector<std::int32_t> from_zero(m + 1);
      for (std::size_t i = 0; i <= m; ++i) from_zero[i] = column.offsets[i] - column.offsets[0];
      h = detail::xxh64(from_zero.data(), from_zero.size() * sizeof(std::int32_t), h);
      h = detail::xxh64(column.data + column.offsets[0], static_cast<std::size_t>(from_zero[m]), h);
    } else {
      const std::int32_t empty = 0;
      h = detail::xxh64(&empty, sizeof empty, h);
    }
  }
  std::vector<const std::pair<std::string, std::string>*> entries;
  for (const auto& entry : view.metadata) {
    if (entry.first != key_checksum) entries.push_back(&entry);
  }
  std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : entries) {
    for (const std::string* text : {&entry->first, &entry->second}) {
      const std::uint64_t size = text->size();
      h = detail::xxh64(&size, sizeof size, h);
      h = detail::xxh64(text->data(), text->size(), h);
    }
  }
  return h;
}

std::string hex64(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 0xF];
  return out;
}

// ---------------------------------------------------------------- copies into the register

/// One copy of a column into its final buffer: 4-byte columns straight from the
/// buffer (no zeroing first), 1-byte enumerations by memcpy into their enum type.
template <class T>
std::vector<T> copy_column(const ColumnView& column, std::size_t n) {
  static_assert(sizeof(T) == 1 || sizeof(T) == 4, "fixed-width columns are 1 or 4 bytes");
  if constexpr (std::is_integral_v<T>) {
    const auto* values = reinterpret_cast<const T*>(column.values);
    return std::vector<T>(values, values + n);
  } else {
    std::vector<T> out(n);
    if (n > 0) std::memcpy(out.data(), column.values, n * sizeof(T));
    return out;
  }
}

std::vector<std::string> dictionary_values(const ColumnView& column) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(column.dictionary_length));
  for (std::int64_t i = 0; i < column.dictionary_length; ++i) {
    out.emplace_back(column.data + column.offsets[i],
                     static_cast<std::size_t>(column.offsets[i + 1] - column.offsets[i]));
  }
  return out;
}

// ---------------------------------------------------------------- the export's memory

struct Exported {
  Register reg;
  struct Strings {
    std::vector<std::int32_t> offsets;
    std::string data;
  };
  std::vector<Strings> dictionaries;
  std::vector<std::string> names;
  std::string metadata;
  // One node per column and per dictionary, sized once: pointers into them stay valid.
  std::vector<ArrowArray> arrays;
  std::vector<ArrowSchema> schemas;
  std::vector<ArrowArray> dictionary_arrays;
  std::vector<ArrowSchema> dictionary_schemas;
  std::vector<ArrowArray*> array_children;
  std::vector<ArrowSchema*> schema_children;
  std::vector<std::vector<const void*>> buffers;
  std::vector<std::vector<const void*>> dictionary_buffers;
  std::vector<const void*> top_buffers{nullptr};
};

using Holder = std::shared_ptr<Exported>;

void release_array(ArrowArray* a) {
  if (a == nullptr || a->release == nullptr) return;
  for (std::int64_t i = 0; i < a->n_children; ++i) {
    if (a->children[i]->release != nullptr) a->children[i]->release(a->children[i]);
  }
  if (a->dictionary != nullptr && a->dictionary->release != nullptr) a->dictionary->release(a->dictionary);
  auto* holder = static_cast<Holder*>(a->private_data);
  a->release = nullptr;
  delete holder;  // may free the memory `a` lives in (a child's node): `a` is not touched after
}

void release_schema(ArrowSchema* s) {
  if (s == nullptr || s->release == nullptr) return;
  for (std::int64_t i = 0; i < s->n_children; ++i) {
    if (s->children[i]->release != nullptr) s->children[i]->release(s->children[i]);
  }
  if (s->dictionary != nullptr && s->dictionary->release != nullptr) s->dictionary->release(s->dictionary);
  auto* holder = static_cast<Holder*>(s->private_data);
  s->release = nullptr;
  delete holder;
}

void fill_array(ArrowArray& a, const Holder& holder, std::int64_t length, std::vector<const void*>& buffers) {
  a.length = length;
  a.null_count = 0;
  a.offset = 0;
  a.n_buffers = static_cast<std::int64_t>(buffers.size());
  a.n_children = 0;
  a.buffers = buffers.data();
  a.children = nullptr;
  a.dictionary = nullptr;
  a.release = release_array;
  a.private_data = new Holder(holder);
}

void fill_schema(ArrowSchema& s, const Holder& holder, const char* format, const char* name) {
  s.format = format;
  s.name = name;
  s.metadata = nullptr;
  s.flags = 0;
  s.n_children = 0;
  s.children = nullptr;
  s.dictionary = nullptr;
  s.release = release_schema;
  s.private_data = new Holder(holder);
}

const void* values_of(const SpellColumns& s, std::size_t c) {
  switch (c) {
    case 0:
      return s.person.data();
    case 1:
      return s.birth_date.data();
    case 2:
      return s.gender.data();
    case 3:
      return s.employment_form.data();
    case 4:
      return s.position.data();
    case 5:
      return s.department.data();
    case 6:
      return s.fte.data();
    case 7:
      return s.start_date.data();
    case 8:
      return s.end_date.data();
    case 9:
      return s.end_reason.data();
    case 10:
      return s.recruitment_source.data();
    case 11:
      return s.manager.data();
    case 12:
      return s.source_row.data();
    case 13:
      return s.start_kind.data();
    case 14:
      return s.end_kind.data();
    case 15:
      return s.start_partner.data();
    case 16:
      return s.end_partner.data();
    default:
      return s.chain_start.data();
  }
}

Exported::Strings strings_of(const std::vector<std::string>& values) {
  Exported::Strings out;
  out.offsets.reserve(values.size() + 1);
  out.offsets.push_back(0);
  for (const std::string& v : values) {
    if (out.data.size() + v.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      throw argument_error("a dictionary of the register exceeds 2 GB of text");
    }
    out.data += v;
    out.offsets.push_back(static_cast<std::int32_t>(out.data.size()));
  }
  return out;
}

}  // namespace

void export_saved_register(const Register& reg, const std::string& label, ArrowArray* out, ArrowSchema* out_schema) {
  auto holder = std::make_shared<Exported>();
  Exported& e = *holder;
  e.reg = reg;
  const SpellColumns& s = e.reg.spells();
  const std::size_t dims = e.reg.pass_through().size();
  const std::size_t columns = fixed_count + dims;
  if (s.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) ||
      e.reg.ids().size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw argument_error("a register of more than 2^31 spells or persons cannot be saved");
  }
  const auto n = static_cast<std::int64_t>(s.size());
  e.arrays.resize(columns);
  e.schemas.resize(columns);
  e.dictionary_arrays.resize(3 + dims);
  e.dictionary_schemas.resize(3 + dims);
  e.buffers.resize(columns);
  e.dictionary_buffers.resize(3 + dims);
  e.dictionaries.push_back(strings_of(e.reg.ids().values()));
  e.dictionaries.push_back(strings_of(e.reg.positions().values()));
  e.dictionaries.push_back(strings_of(e.reg.departments().values()));
  for (const PassThroughColumn& column : e.reg.pass_through()) {
    e.dictionaries.push_back(strings_of(column.dictionary.values()));
  }
  for (std::size_t c = 0; c < fixed_count; ++c) e.names.emplace_back(fixed_columns[c].name);
  for (const PassThroughColumn& column : e.reg.pass_through()) e.names.push_back(column.name);
  std::size_t next_dictionary = 0;
  for (std::size_t c = 0; c < columns; ++c) {
    const Kind kind = c < fixed_count ? fixed_columns[c].kind : Kind::dictionary;
    const void* values = c < fixed_count ? values_of(s, c) : e.reg.pass_through()[c - fixed_count].codes.data();
    e.buffers[c] = {nullptr, values};
    fill_array(e.arrays[c], holder, n, e.buffers[c]);
    fill_schema(e.schemas[c], holder, format_of(kind), e.names[c].c_str());
    if (kind == Kind::dictionary) {
      const std::size_t d = next_dictionary++;
      Exported::Strings& strings = e.dictionaries[d];
      e.dictionary_buffers[d] = {nullptr, strings.offsets.data(), strings.data.data()};
      fill_array(e.dictionary_arrays[d], holder, static_cast<std::int64_t>(strings.offsets.size() - 1),
                 e.dictionary_buffers[d]);
      fill_schema(e.dictionary_schemas[d], holder, "u", nullptr);
      e.arrays[c].dictionary = &e.dictionary_arrays[d];
      e.schemas[c].dictionary = &e.dictionary_schemas[d];
    }
    e.array_children.push_back(&e.arrays[c]);
    e.schema_children.push_back(&e.schemas[c]);
  }
  Metadata metadata = {{std::string(key_format), std::to_string(saved_register_format)},
                       {std::string(key_label), label},
                       {std::string(key_persons), std::to_string(e.reg.persons())},
                       {std::string(key_rows_read), std::to_string(e.reg.rows_read())},
                       {std::string(key_extracted_on), format_iso_date(e.reg.extracted_on())},
                       {std::string(key_given), e.reg.extracted_on_given() ? "true" : "false"},
                       {std::string(key_today), format_iso_date(e.reg.assumed_today())},
                       {std::string(key_issues), encode_issues(e.reg.issues())}};
  e.metadata = encode_metadata(metadata);

  ArrowArray& top = *out;
  fill_array(top, holder, n, e.top_buffers);
  top.n_buffers = 1;
  top.n_children = static_cast<std::int64_t>(columns);
  top.children = e.array_children.data();
  ArrowSchema& schema = *out_schema;
  fill_schema(schema, holder, "+s", "");
  schema.n_children = static_cast<std::int64_t>(columns);
  schema.children = e.schema_children.data();
  schema.metadata = e.metadata.data();
  // The checksum covers what was just laid out; then it joins the metadata.
  const std::uint64_t sum = checksum_of(view_batch(top, schema, label));
  metadata.emplace_back(std::string(key_checksum), hex64(sum));
  e.metadata = encode_metadata(metadata);
  schema.metadata = e.metadata.data();
}

std::uint64_t saved_register_checksum(const ArrowArray& batch, const ArrowSchema& schema) {
  return checksum_of(view_batch(batch, schema, "<batch>"));
}

Register register_from_arrow(ArrowArray* batch, ArrowSchema* schema, const SavedRegisterOptions& options) {
  detail::ArrowRelease release(batch, schema);
  const std::string& file = options.file;
  if (batch == nullptr || schema == nullptr) refuse(file, "no batch was given");
  const BatchView view = view_batch(*batch, *schema, file);
  const std::string* stored = find(view.metadata, key_checksum);
  if (stored == nullptr) refuse(file, "it has no checksum");
  SavedRegister saved;
  const auto n = static_cast<std::size_t>(view.length);
  const auto& c = view.columns;
  SpellColumns& s = saved.spells;
  // The checksum and the person keys on one thread, the columns copied on another: no
  // value is looked at before the checksum matched (restore_register checks them after).
  bool checksum_matches = false;
  auto copy_columns = [&] {
    s.person = copy_column<std::uint32_t>(c[0], n);
    s.birth_date = copy_column<day_t>(c[1], n);
    s.gender = copy_column<Gender>(c[2], n);
    s.employment_form = copy_column<EmploymentForm>(c[3], n);
    s.position = copy_column<std::uint32_t>(c[4], n);
    s.department = copy_column<std::uint32_t>(c[5], n);
    s.fte = copy_column<std::uint8_t>(c[6], n);
    s.start_date = copy_column<day_t>(c[7], n);
    s.end_date = copy_column<day_t>(c[8], n);
    s.end_reason = copy_column<EndReason>(c[9], n);
    s.recruitment_source = copy_column<RecruitmentSource>(c[10], n);
    s.manager = copy_column<std::uint32_t>(c[11], n);
    s.source_row = copy_column<std::uint32_t>(c[12], n);
    s.start_kind = copy_column<StartKind>(c[13], n);
    s.end_kind = copy_column<EndKind>(c[14], n);
    s.start_partner = copy_column<std::uint32_t>(c[15], n);
    s.end_partner = copy_column<std::uint32_t>(c[16], n);
    s.chain_start = copy_column<day_t>(c[17], n);
    saved.positions = dictionary_values(c[4]);
    saved.departments = dictionary_values(c[5]);
    for (std::size_t d = fixed_count; d < c.size(); ++d) {
      PassThroughColumn column;
      column.name = c[d].name;
      column.codes = copy_column<std::uint32_t>(c[d], n);
      column.dictionary = Dictionary(dictionary_values(c[d]));
      saved.pass_through.push_back(std::move(column));
    }
  };
  auto checksum_and_keys = [&] {
    checksum_matches = *stored == hex64(checksum_of(view));
    if (checksum_matches) saved.ids = dictionary_values(c[0]);
  };
  detail::run_both(n >= detail::parallel_finish_rows, copy_columns, checksum_and_keys);
  if (!checksum_matches) refuse(file, "its checksum does not match its contents (a damaged or changed file)");
  auto fact = [&](std::string_view key) -> const std::string& {
    const std::string* value = find(view.metadata, key);
    if (value == nullptr) refuse(file, "it has no " + std::string(key) + " in its metadata");
    return *value;
  };
  saved.persons = static_cast<std::size_t>(parse_count(fact(key_persons), file, "persons"));
  saved.rows_read = parse_count(fact(key_rows_read), file, "rows_read");
  const std::optional<day_t> extracted_on = parse_iso_date(fact(key_extracted_on));
  if (!extracted_on) refuse(file, "its extraction date is not a date");
  const std::string& given = fact(key_given);
  if (given != "true" && given != "false") refuse(file, "its staffcast.extracted_on_given is not true or false");
  saved.extracted_on = *extracted_on;
  saved.extracted_on_given = given == "true";
  saved.issues = decode_issues(fact(key_issues), file);
  if (options.extracted_on) {
    // Only the extraction date's own facts depend on it: the day, its warning and the
    // earliest observed end (restore_register derives it from the day).
    saved.extracted_on = *options.extracted_on;
    saved.extracted_on_given = true;
    saved.issues.remove("extraction_date_assumed");
  }
  try {
    return restore_register(std::move(saved));
  } catch (const argument_error& e) {
    constexpr std::string_view prefix = "the saved register is not valid: ";
    std::string_view what = e.what();
    if (what.substr(0, prefix.size()) == prefix) what.remove_prefix(prefix.size());
    refuse(file, std::string(what));
  }
}

}  // namespace staffcast
