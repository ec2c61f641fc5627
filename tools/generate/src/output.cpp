// The generator's output files.
#include "output.hpp"

#include <staffcast/error.hpp>

#include <cerrno>
#include <string>
#include <system_error>

namespace staffcast::detail::gen {

namespace fs = std::filesystem;

CsvFile::CsvFile(const fs::path& dir, const char* name)
    : final_(dir / name), temp_(dir / (std::string(name) + ".tmp")) {
  file_ = std::fopen(temp_.string().c_str(), "wb");
  if (file_ == nullptr) fail("cannot create");
  buffer_.resize(kBufferSize);
}

CsvFile::~CsvFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

void CsvFile::finish() {
  flush();
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) fail("cannot write");
}

void CsvFile::commit() {
  std::error_code ec;
  fs::rename(temp_, final_, ec);
  if (ec) throw io_error("cannot rename " + temp_.string() + " to " + final_.string() + ": " + ec.message());
  committed_ = true;
}

void CsvFile::flush() {
  if (used_ == 0) return;
  if (std::fwrite(buffer_.data(), 1, used_, file_) != used_) fail("cannot write");
  used_ = 0;
}

void CsvFile::fail(const char* what) {
  const int err = errno;
  throw io_error(std::string(what) + " " + temp_.string() + (err != 0 ? ": " + std::string(std::strerror(err)) : ""));
}

}  // namespace staffcast::detail::gen
