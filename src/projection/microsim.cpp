#include <staffcast/projection/microsim.hpp>

#include <staffcast/detail/microsim.hpp>
#include <staffcast/detail/move_rows.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/philox_simd.hpp>
#include <staffcast/projection/cohort.hpp>
#include <staffcast/projection/philox.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace staffcast {

RawSimulation simulate_raw(const ProjectionInputs& in, std::uint64_t seed, std::uint64_t replicate_begin,
                           std::uint64_t replicate_end, unsigned threads, const std::atomic<bool>* cancel,
                           std::atomic<std::uint64_t>* progress, simd_level simd) {
  simd = simd_resolve(simd);
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  // The move matrix (G² entries, 110 MB at G = 3,700) is read once, for the checks and the tables.
  const detail::MoveRows move_rows = detail::scan_move_rows(in.move, threads);
  validate_projection_inputs(in, move_rows);
  if (replicate_end < replicate_begin) throw argument_error("replicate_end must not be before replicate_begin");
  if (replicate_end - replicate_begin > (std::uint64_t{1} << 32)) throw argument_error("too many replicates");
  if (in.persons() >= 0xFFFFFFFFULL) throw argument_error("too many persons for 32-bit person numbers");
  const detail::SimTables tables(in, move_rows, threads);
  RawSimulation raw;
  raw.replicate_begin = replicate_begin;
  raw.replicates = static_cast<std::size_t>(replicate_end - replicate_begin);
  raw.years = static_cast<std::size_t>(in.years);
  raw.output_groups = in.output_groups();
  raw.values.assign(raw.replicates * raw.stride(), 0.0);
  // Whole replicates first, then the last (replicates mod threads) split: every thread stays busy.
  const bool split = threads > 1 && in.persons() >= detail::sim_split_min_persons().load();
  if (!split) threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(raw.replicates, 1)));
  const std::size_t whole = split ? raw.replicates - raw.replicates % threads : raw.replicates;
  std::vector<std::unique_ptr<detail::SimReplicate>> parts;
  for (std::size_t r = whole; r < raw.replicates; ++r) {
    parts.push_back(
        std::make_unique<detail::SimReplicate>(threads, replicate_begin + r, raw.values.data() + r * raw.stride()));
  }
  const detail::PhiloxRoundKeys keys(philox_key_of_seed(seed));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto fail = [&](std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(failure_mutex);
    if (!failure) failure = std::move(error);
    stop = true;
  };
  auto work = [&](unsigned member) {
    detail::SimWorker worker;
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) break;
      const std::size_t r = next.fetch_add(1);
      if (r >= whole) break;
      detail::SimReplicate run(1, replicate_begin + r, raw.values.data() + r * raw.stride());
      detail::simulate_replicate_member(in, tables, keys, run, 0, worker, cancel, nullptr, simd);
      if (run.failure) {
        fail(run.failure);
        break;
      }
      if (progress != nullptr) progress->fetch_add(1);
    }
    // Every thread takes part in every split replicate (a stop is seen by all in its first serial step).
    for (auto& run : parts) {
      detail::simulate_replicate_member(in, tables, keys, *run, member, worker, cancel, &stop, simd);
      if (member == 0) {
        if (run->failure) {
          fail(run->failure);
        } else if (progress != nullptr) {
          progress->fetch_add(1);
        }
      }
    }
  };
  detail::run_on_threads(threads, work, [&] {
    stop = true;
    // Only when a thread could not be started (work never throws): members of a split replicate
    // would wait for it at their barrier forever.
    for (auto& run : parts) run->barrier.abandon();
  });
  if (failure) std::rethrow_exception(failure);
  return raw;
}

Table summarise(const ProjectionInputs& in, const RawSimulation& raw, bool totals) {
  if (raw.replicates == 0) throw argument_error("no replicates to summarise");
  if (raw.years != static_cast<std::size_t>(in.years) || raw.output_groups != in.output_groups()) {
    throw argument_error("the raw array does not match the inputs' years and groups");
  }
  Table table;
  table.key_names.push_back("year");
  for (const std::string& name : in.output_by) table.key_names.push_back(name);
  table.key_names.push_back("measure");
  table.keys.assign(table.key_names.size(), {});
  ValueColumn mean{"mean", ValueKind::number, {}}, p5{"p5", ValueKind::number, {}}, p50{"p50", ValueKind::number, {}},
      p95{"p95", ValueKind::number, {}};
  const auto& names = projection_measures();
  std::vector<double> values(raw.replicates);
  auto add = [&](const std::string& year, const std::vector<std::string>& labels, std::size_t m) {
    table.keys[0].push_back(year);
    for (std::size_t k = 0; k < labels.size(); ++k) table.keys[1 + k].push_back(labels[k]);
    table.keys.back().push_back(names[m]);
    const ReplicateSummary s = summarise_replicates(values);  // the one summary rule
    mean.values.push_back(s.mean);
    p5.values.push_back(s.p5);
    p50.values.push_back(s.p50);
    p95.values.push_back(s.p95);
  };
  // Rows: year, then the output groups in label order, then the measures in their order.
  std::vector<std::vector<std::string>> labels(raw.output_groups);
  std::vector<std::size_t> order(raw.output_groups);
  for (std::size_t o = 0; o < raw.output_groups; ++o) {
    labels[o] = in.output_labels(o);
    order[o] = o;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
  for (std::size_t y = 0; y < raw.years; ++y) {
    const std::string year = std::to_string(in.base_year + static_cast<int>(y) + 1);
    for (std::size_t o : order) {
      if (in.age_band_position >= 0) {
        bool any = false;
        for (std::size_t r = 0; r < raw.replicates && !any; ++r) {
          for (std::size_t m = 0; m < projection_measure_count; ++m) any = any || raw.at(r, y, o, m) != 0.0;
        }
        if (!any) continue;
      }
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        for (std::size_t r = 0; r < raw.replicates; ++r) values[r] = raw.at(r, y, o, m);
        add(year, labels[o], m);
      }
    }
  }
  if (totals && !in.output_by.empty()) {
    std::vector<std::string> total_labels(in.output_by.size());
    total_labels[0] = "Total";
    for (std::size_t y = 0; y < raw.years; ++y) {
      const std::string year = std::to_string(in.base_year + static_cast<int>(y) + 1);
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        for (std::size_t r = 0; r < raw.replicates; ++r) {
          double sum = 0;
          for (std::size_t o = 0; o < raw.output_groups; ++o) sum += raw.at(r, y, o, m);
          values[r] = sum;
        }
        add(year, total_labels, m);
      }
    }
  }
  table.values = {std::move(mean), std::move(p5), std::move(p50), std::move(p95)};
  return table;
}

}  // namespace staffcast
