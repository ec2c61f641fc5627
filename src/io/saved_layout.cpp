// The layout of saved registers: metadata, warnings, structural checks and the
// checksum (saved_layout.hpp).
#include "saved_layout.hpp"

#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/xxh64.hpp>
#include <staffcast/error.hpp>
#include <staffcast/io/saved_register.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

namespace staffcast::detail::saved {

/// A refusal that names the file.
[[noreturn]] void refuse(const std::string& file, const std::string& what) {
  throw argument_error(file + " is not a valid saved staffcast register: " + what);
}

// ---------------------------------------------------------------- metadata (Arrow's C layout)

namespace {

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

}  // namespace

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
namespace {

void put(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
  out += ',';
}

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

bool no_nulls(const ArrowArray& a) {
  return a.null_count == 0 || (a.null_count == -1 && a.n_buffers >= 1 && a.buffers[0] == nullptr);
}

}  // namespace

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

std::uint64_t checksum_of(const BatchView& view, const BlockVisitor& visit, const std::function<void()>& beside) {
  const auto n = static_cast<std::size_t>(view.length);
  const std::size_t blocks = (n + checksum_block_rows - 1) / checksum_block_rows;
  const std::size_t per_column = 1 + blocks + 2;  // name, blocks, offsets, texts
  std::vector<std::uint64_t> digests(view.columns.size() * per_column);
  // The dictionaries' pieces first (a few), then the blocks, each hashed by whichever thread takes it.
  std::vector<std::size_t> dictionaries;
  for (std::size_t c = 0; c < view.columns.size(); ++c) {
    const ColumnView& column = view.columns[c];
    digests[c * per_column] = detail::xxh64(column.name.data(), column.name.size(), 0);
    if (column.kind == Kind::dictionary && column.dictionary_length > 0) {
      dictionaries.push_back(c);
    } else {
      digests[c * per_column + 1 + blocks] = detail::xxh64(nullptr, 0, 0);
      digests[c * per_column + 2 + blocks] = detail::xxh64(nullptr, 0, 0);
    }
  }
  auto hash_dictionary = [&](std::size_t c) {
    const ColumnView& column = view.columns[c];
    const auto m = static_cast<std::size_t>(column.dictionary_length);
    const std::int32_t* offsets = column.offsets;
    std::vector<std::int32_t> rebased;  // offsets that do not start at zero, counted from zero
    if (offsets[0] != 0) {
      rebased.resize(m + 1);
      for (std::size_t i = 0; i <= m; ++i) rebased[i] = offsets[i] - offsets[0];
      offsets = rebased.data();
    }
    digests[c * per_column + 1 + blocks] = detail::xxh64(offsets, (m + 1) * sizeof(std::int32_t), 0);
    digests[c * per_column + 2 + blocks] =
        detail::xxh64(column.data + column.offsets[0], static_cast<std::size_t>(offsets[m]), 0);
  };
  auto hash_block = [&](int thread, std::size_t b) {
    const std::size_t from = b * checksum_block_rows;
    const std::size_t to = std::min(n, from + checksum_block_rows);
    for (std::size_t c = 0; c < view.columns.size(); ++c) {
      const ColumnView& column = view.columns[c];
      const std::size_t width = width_of(column.kind);
      digests[c * per_column + 1 + b] = detail::xxh64(column.values + from * width, (to - from) * width, 0);
    }
    if (visit) visit(thread, from, to);
  };
  const std::size_t items = dictionaries.size() + blocks;
  std::atomic<std::size_t> next{0};
  auto work = [&](int thread) {
    for (std::size_t k = next.fetch_add(1, std::memory_order_relaxed); k < items;
         k = next.fetch_add(1, std::memory_order_relaxed)) {
      if (k < dictionaries.size()) {
        hash_dictionary(dictionaries[k]);
      } else {
        hash_block(thread, k - dictionaries.size());
      }
    }
  };
  detail::run_both(
      n >= detail::parallel_finish_rows.load(), [&] { work(0); },
      [&] {
        if (beside) beside();
        work(1);
      });
  std::uint64_t h = detail::xxh64(digests.data(), digests.size() * sizeof(std::uint64_t), 0);
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

}  // namespace staffcast::detail::saved
