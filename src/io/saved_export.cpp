// The export of a register as a saved-register record batch through the Arrow C
// data interface (io/saved_register.hpp): the producer side.
#include "saved_layout.hpp"

#include <staffcast/io/saved_register.hpp>

#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace staffcast {

namespace {

using namespace detail::saved;

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

// The release callback of an exported ArrowArray or ArrowSchema (the same fields
// for both): children and dictionary first, then the holder of the node's memory.
template <class Node>
void release_node(Node* node) {
  if (node == nullptr || node->release == nullptr) return;
  for (std::int64_t i = 0; i < node->n_children; ++i) {
    if (node->children[i]->release != nullptr) node->children[i]->release(node->children[i]);
  }
  if (node->dictionary != nullptr && node->dictionary->release != nullptr) node->dictionary->release(node->dictionary);
  auto* holder = static_cast<Holder*>(node->private_data);
  node->release = nullptr;
  delete holder;  // may free the memory `node` lives in (a child's node): `node` is not touched after
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
  a.release = release_node<ArrowArray>;
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
  s.release = release_node<ArrowSchema>;
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

Exported::Strings strings_of(const Dictionary& values) {
  Exported::Strings out;
  out.offsets.reserve(values.size() + 1);
  out.offsets.push_back(0);
  for (const std::string_view v : values) {
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
  e.dictionaries.push_back(strings_of(e.reg.ids()));
  e.dictionaries.push_back(strings_of(e.reg.positions()));
  e.dictionaries.push_back(strings_of(e.reg.departments()));
  for (const PassThroughColumn& column : e.reg.pass_through()) {
    e.dictionaries.push_back(strings_of(column.dictionary));
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

}  // namespace staffcast
