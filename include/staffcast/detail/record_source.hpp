// A table of text fields, read record by record: a CSV file or in-memory columns.
#pragma once

#include <staffcast/detail/csv.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast::detail {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  /// Column names; false when there is no usable header (an issue was recorded).
  virtual bool header(std::vector<std::string>& names) = 0;
  virtual bool next(CsvRecord& record) = 0;
  [[nodiscard]] virtual const std::string& label() const = 0;
};

class CsvRecordSource final : public RecordSource {
 public:
  CsvRecordSource(std::unique_ptr<ByteSource> bytes, std::string label, IssueList& issues, CsvOptions options = {})
      : reader_(std::move(bytes), std::move(label), issues, options) {}
  bool header(std::vector<std::string>& names) override { return reader_.read_header(names); }
  bool next(CsvRecord& record) override { return reader_.next(record); }
  [[nodiscard]] const std::string& label() const override { return reader_.file_label(); }

 private:
  CsvReader reader_;
};

/// Columns of optional strings (nullopt = missing), e.g. from an Arrow table.
/// Rows are numbered as a spreadsheet would show them: the first data row is 2.
class ColumnRecordSource final : public RecordSource {
 public:
  using Column = std::vector<std::optional<std::string_view>>;
  ColumnRecordSource(std::vector<std::string> names, std::vector<Column> columns, std::string label)
      : names_(std::move(names)), columns_(std::move(columns)), label_(std::move(label)) {}

  bool header(std::vector<std::string>& names) override {
    names = names_;
    return true;
  }
  bool next(CsvRecord& record) override {
    const std::size_t rows = columns_.empty() ? 0 : columns_.front().size();
    if (next_ >= rows) return false;
    record.fields.clear();
    for (const Column& column : columns_) {
      record.fields.push_back(next_ < column.size() && column[next_] ? *column[next_] : std::string_view());
    }
    record.row = static_cast<std::int64_t>(next_) + 2;
    record.line = 0;
    ++next_;
    return true;
  }
  [[nodiscard]] const std::string& label() const override { return label_; }

 private:
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  std::string label_;
  std::size_t next_ = 0;
};

}  // namespace staffcast::detail
