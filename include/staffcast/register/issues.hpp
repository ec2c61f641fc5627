// Validation issues: every problem found in an input, with where it is.
#pragma once

#include <staffcast/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace staffcast {

enum class Severity : std::uint8_t { error, warning };

/// One validation finding. `row` counts records with the header as row 1 (as a
/// spreadsheet shows it); `line` is the physical line where the record starts
/// (0 when the input has no lines, e.g. a DataFrame). `value` is the offending
/// text, left empty for person keys and birth dates, which never appear here.
struct Issue {
  std::string file;
  std::int64_t row = 0;
  std::int64_t line = 0;
  std::string column;
  std::string code;
  std::string message;
  std::string value;
  Severity severity = Severity::error;
};

/// Collects issues. Keeps at most `limit` records so that a hostile file cannot
/// exhaust memory; the rest are counted in `dropped()` by severity.
class IssueList {
 public:
  explicit IssueList(std::size_t limit = 10000) : limit_(limit) {}

  void add(Issue issue) {
    if (issue.severity == Severity::error) {
      ++errors_;
    } else {
      ++warnings_;
    }
    if (items_.size() < limit_) {
      // What the input holds is shown, never acted on: control bytes are escaped.
      for (std::string* text : {&issue.file, &issue.column, &issue.message, &issue.value}) {
        if (needs_escape(*text)) *text = printable(*text);
      }
      items_.push_back(std::move(issue));
    } else {
      ++dropped_;
    }
  }

  void error(std::string file, std::int64_t row, std::int64_t line, std::string column, std::string code,
             std::string message, std::string value = {}) {
    add({std::move(file), row, line, std::move(column), std::move(code), std::move(message), std::move(value),
         Severity::error});
  }

  void warning(std::string file, std::int64_t row, std::int64_t line, std::string column, std::string code,
               std::string message, std::string value = {}) {
    add({std::move(file), row, line, std::move(column), std::move(code), std::move(message), std::move(value),
         Severity::warning});
  }

  void append(const IssueList& other) {
    for (const Issue& issue : other.items_) add(issue);
    dropped_ += other.dropped_;
    errors_ += other.errors_ - count(other.items_, Severity::error);
    warnings_ += other.warnings_ - count(other.items_, Severity::warning);
  }

  /// Removes the kept issues for which `drop(issue)` is true; returns how many.
  template <class Pred>
  std::size_t erase_if(Pred drop) {
    std::size_t n = 0;
    std::vector<Issue> kept;
    kept.reserve(items_.size());
    for (Issue& issue : items_) {
      if (!drop(static_cast<const Issue&>(issue))) {
        kept.push_back(std::move(issue));
        continue;
      }
      ++n;
      if (issue.severity == Severity::error) {
        --errors_;
      } else {
        --warnings_;
      }
    }
    items_ = std::move(kept);
    return n;
  }

  /// Puts `issue` first; when the list is full, its last kept issue is dropped.
  void prepend(Issue issue) {
    (issue.severity == Severity::error ? errors_ : warnings_) += 1;
    items_.insert(items_.begin(), std::move(issue));
    if (items_.size() > limit_) {
      items_.pop_back();
      ++dropped_;
    }
  }

  /// Removes the kept issues with `code`, and their counts.
  void remove(std::string_view code) {
    std::vector<Issue> kept;
    for (Issue& issue : items_) {
      if (issue.code == code) {
        (issue.severity == Severity::error ? errors_ : warnings_) -= 1;
      } else {
        kept.push_back(std::move(issue));
      }
    }
    items_ = std::move(kept);
  }

  [[nodiscard]] bool has_errors() const noexcept { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const noexcept { return errors_; }
  [[nodiscard]] std::size_t warning_count() const noexcept { return warnings_; }
  [[nodiscard]] std::size_t dropped() const noexcept { return dropped_; }
  [[nodiscard]] const std::vector<Issue>& items() const noexcept { return items_; }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

 private:
  static bool needs_escape(const std::string& text) noexcept {
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte >= 0x7F) return true;
    }
    return false;
  }

  static std::size_t count(const std::vector<Issue>& items, Severity severity) {
    std::size_t n = 0;
    for (const Issue& issue : items) n += issue.severity == severity ? 1 : 0;
    return n;
  }

  std::vector<Issue> items_;
  std::size_t limit_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::size_t dropped_ = 0;
};

/// Thrown when an input has hard errors; carries every issue found.
class validation_error : public error {
 public:
  explicit validation_error(IssueList issues) : error(summary(issues)), issues_(std::move(issues)) {}

  [[nodiscard]] const IssueList& issues() const noexcept { return issues_; }

 private:
  static std::string summary(const IssueList& issues) {
    std::string text = std::to_string(issues.error_count()) + " error(s) in input";
    for (const Issue& issue : issues.items()) {
      if (issue.severity != Severity::error) continue;
      text += "; first: ";
      if (!issue.file.empty()) text += issue.file + ":";
      text += "row " + std::to_string(issue.row);
      if (!issue.column.empty()) text += ", column " + issue.column;
      text += ": " + issue.code + ": " + issue.message;
      break;
    }
    return text;
  }

  IssueList issues_;
};

}  // namespace staffcast
