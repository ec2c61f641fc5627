// libFuzzer target: a saved register given through the Arrow C data interface
// (staffcast::register_from_arrow), its buffers changed byte by byte.
//
// A small register is exported once per input (export_saved_register); the input
// is a list of 5-byte patches applied to copies of the batch's buffers:
//   byte 0      which buffer: (column) % columns, and bits 6-7 of byte 4 the kind
//               (0 the values, 1 the dictionary's offsets, 2 its bytes, 3 the warnings' text)
//   bytes 1-2   the byte offset (little-endian, modulo the buffer's size)
//   byte 3      the value written there
// The first input byte's bit 0 recomputes the checksum after the patches, so that
// the checks behind it (codes, partners, dates, ages, order, offsets, warnings) are
// reached; else the checksum must refuse every change that touches the values.
//
// Oracles, besides ASan/UBSan: only argument_error escapes; the structs are
// released; a loaded register satisfies the invariants the statistics rely on;
// with no patch, the register loaded equals the one exported.
#include <staffcast/detail/arrow_c.hpp>
#include <staffcast/io/saved_register.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_saved invariant violated: %s\n", what);
  std::abort();
}

const Register& base() {
  static const Register reg = [] {
    RegisterOptions options;
    options.dimensions = {"region"};
    options.today = to_day(2026, 1, 1);
    auto result = try_read_register_text(
        "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
        "recruitment_source,manager_id,region\n"
        "B,1980-01-01,F,temporary,U,V,0.50,2020-01-01,2020-06-30,fixed_term_ended,external,A,N\n"
        "B,1980-01-01,F,permanent,U,V,0.50,2020-07-01,,,internal,A,N\n"
        "C,1970-01-01,M,hourly,W,V,,2019-01-01,2023-03-31,internal_move,,,S\n"
        "C,1970-01-01,M,hourly,W,X,,2023-04-01,,own_request,internal,B,S\n"
        "D,1990-05-05,X,permanent,U,X,1.00,2021-01-01,2022-12-31,retirement,rehire,Z,N\n",
        options, "fuzz.csv");
    if (!result.register_) fail("the base register does not read");
    return std::move(*result.register_);
  }();
  return reg;
}

using Metadata = std::vector<std::pair<std::string, std::string>>;

std::int32_t read_i32(const char*& p) {
  std::int32_t v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

Metadata parse(const char* p) {
  Metadata out;
  const std::int32_t n = read_i32(p);
  for (std::int32_t i = 0; i < n; ++i) {
    std::string parts[2];
    for (std::string& part : parts) {
      const std::int32_t size = read_i32(p);
      part.assign(p, static_cast<std::size_t>(size));
      p += size;
    }
    out.emplace_back(std::move(parts[0]), std::move(parts[1]));
  }
  return out;
}

std::string encode(const Metadata& m) {
  auto i32 = [](std::size_t v) {
    const auto n = static_cast<std::int32_t>(v);
    return std::string(reinterpret_cast<const char*>(&n), sizeof n);
  };
  std::string out = i32(m.size());
  for (const auto& [key, value] : m) out += i32(key.size()) + key + i32(value.size()) + value;
  return out;
}

void check_invariants(const Register& reg) {
  const SpellColumns& s = reg.spells();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.person[i] >= reg.persons() || s.position[i] >= reg.positions().size() ||
        s.department[i] >= reg.departments().size() || (s.manager[i] != no_code && s.manager[i] >= reg.ids().size())) {
      fail("a code outside its dictionary");
    }
    for (std::uint32_t p : {s.start_partner[i], s.end_partner[i]}) {
      if (p != no_code && (p >= s.size() || s.person[p] != s.person[i])) fail("a partner of another person");
    }
    if (s.end_date[i] != open_end_day && s.end_date[i] < s.start_date[i]) fail("an end before its start");
    const int age = age_on(s.birth_date[i], s.start_date[i]);
    if (age < min_age_at_start || age > max_age_at_start) fail("an age outside 15-100");
  }
  for (const PassThroughColumn& column : reg.pass_through()) {
    for (std::uint32_t code : column.codes) {
      if (code >= column.dictionary.size()) fail("a dimension code outside its dictionary");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Register& reg = base();
  ArrowArray array{};
  ArrowSchema schema{};
  export_saved_register(reg, "fuzz.csv", &array, &schema);
  const auto columns = static_cast<std::size_t>(array.n_children);
  // Copies of every buffer a patch may change, the batch pointed at them.
  std::vector<std::vector<std::uint8_t>> values(columns), offsets(columns), bytes(columns);
  for (std::size_t c = 0; c < columns; ++c) {
    ArrowArray* child = array.children[c];
    const std::size_t width = std::string(schema.children[c]->format) == "C" ? 1 : 4;
    const auto* v = static_cast<const std::uint8_t*>(child->buffers[1]);
    values[c].assign(v, v + static_cast<std::size_t>(child->length) * width);
    child->buffers[1] = values[c].data();
    if (ArrowArray* d = child->dictionary) {
      const auto* o = static_cast<const std::uint8_t*>(d->buffers[1]);
      offsets[c].assign(o, o + static_cast<std::size_t>(d->length + 1) * 4);
      const auto* first = static_cast<const std::int32_t*>(d->buffers[1]);
      const auto* b = static_cast<const std::uint8_t*>(d->buffers[2]);
      bytes[c].assign(b, b + first[d->length]);
      d->buffers[1] = offsets[c].data();
      d->buffers[2] = bytes[c].data();
    }
  }
  Metadata metadata = parse(schema.metadata);
  std::string* issues = nullptr;
  for (auto& [key, value] : metadata) {
    if (key == "staffcast.issues") issues = &value;
  }
  const bool recompute = size > 0 && (data[0] & 1) != 0;
  std::size_t patches = 0;
  for (std::size_t at = size > 0 ? 1 : 0; at + 5 <= size; at += 5, ++patches) {
    const std::size_t c = data[at] % columns;
    const std::size_t offset = data[at + 1] | static_cast<std::size_t>(data[at + 2]) << 8;
    const std::uint8_t value = data[at + 3];
    std::uint8_t* target = nullptr;
    std::size_t target_size = 0;
    switch (data[at + 4] >> 6) {
      case 0:
        target = values[c].data(), target_size = values[c].size();
        break;
      case 1:
        target = offsets[c].data(), target_size = offsets[c].size();
        break;
      case 2:
        target = bytes[c].data(), target_size = bytes[c].size();
        break;
      default:
        target = reinterpret_cast<std::uint8_t*>(issues->data()), target_size = issues->size();
    }
    if (target_size > 0) target[offset % target_size] = value;
  }
  // The interface gives no buffer sizes: a producer's data buffer holds what its offsets
  // say (pyarrow's validate() checks it before the export). Keep that promise here.
  for (std::size_t c = 0; c < columns; ++c) {
    if (ArrowArray* d = array.children[c]->dictionary) {
      std::int32_t largest = 0;
      for (std::size_t i = 0; i + 4 <= offsets[c].size(); i += 4) {
        std::int32_t v;
        std::memcpy(&v, offsets[c].data() + i, sizeof v);
        largest = std::max(largest, v);
      }
      if (largest > (1 << 16)) {  // a producer this large is no small register: not this target's case
        array.release(&array);
        schema.release(&schema);
        return 0;
      }
      if (static_cast<std::size_t>(largest) > bytes[c].size()) bytes[c].resize(static_cast<std::size_t>(largest));
      d->buffers[2] = bytes[c].data();
    }
  }
  std::string blob;
  if (recompute) {
    try {
      const std::uint64_t sum = saved_register_checksum(array, schema);
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum));
      for (auto& [key, value] : metadata) {
        if (key == "staffcast.checksum") value = hex;
      }
    } catch (const argument_error&) {
      // A shape refused before any checksum: register_from_arrow refuses it too.
    }
  }
  blob = encode(metadata);
  schema.metadata = blob.data();
  try {
    const Register loaded = register_from_arrow(&array, &schema, {"fuzz.arrow", std::nullopt});
    check_invariants(loaded);
    if (patches == 0 &&
        (loaded.spells().person != reg.spells().person || loaded.spells().end_partner != reg.spells().end_partner ||
         loaded.ids().strings() != reg.ids().strings() ||
         loaded.issues().items().size() != reg.issues().items().size())) {
      fail("an unchanged batch loads differently");
    }
  } catch (const argument_error&) {
    if (patches == 0) fail("an unchanged batch is refused");
  }
  if (array.release != nullptr || schema.release != nullptr) fail("the batch was not released");
  return 0;
}
