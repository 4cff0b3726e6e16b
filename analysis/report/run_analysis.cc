// Event dispatch of the streaming run analysis: see run_analysis.h. The
// report itself is assembled in run_report.cc.
#include "analysis/report/run_analysis.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis/report/metric_registry.h"

namespace consim {

RunAnalysis::RunAnalysis(const nlohmann::json& header, AnalysisOptions options)
    : header_(std::make_unique<const nlohmann::json>(header)),
      options_(options),
      stats_(1),
      writes_(options.write_window) {
  for (const MetricEntry& entry : metric_registry()) metrics_.push_back(entry.make());
}

RunAnalysis::~RunAnalysis() = default;

MetricContext RunAnalysis::context(const TraceNames& names) const {
  return MetricContext{names, phases_, &replicas_, *header_};
}

void RunAnalysis::on_event(const TraceEvent& event, const TraceNames& names) {
  last_time_ = std::max(last_time_, event.time);
  core_event(event, names);
  const MetricContext ctx = context(names);
  for (auto& metric : metrics_) metric->on_event(event, ctx);
}

void RunAnalysis::core_event(const TraceEvent& event, const TraceNames& names) {
  switch (event.type) {
    case EventType::Invoke:
      on_invoke(event);
      return;
    case EventType::Ok:
    case EventType::Fail:
    case EventType::Info:
      on_completion(event, names);
      return;
    case EventType::Send:
      phases_.mark_used();
      return;
    case EventType::Apply:
      on_apply(event);
      return;
    case EventType::End:
      end_time_ = event.time;
      return;
    default:
      if (is_fault_event(event.type)) on_fault(event, names);
      return;
  }
}

void RunAnalysis::on_invoke(const TraceEvent& event) {
  phases_.mark_used();
  OpenOp op;
  op.invoke_time = event.time;
  op.line = event.line;
  op.process = event.process;
  op.f = event.f;
  op.key = event.key;
  op.node = event.node;
  op.client = event.client;
  if (event.has_op) op.op = event.op;
  op.phase = phases_.current();
  if (event.f == HistOp::Write || event.f == HistOp::Cas) op.value = event.value;
  if (event.key != kNone) {
    KeyWrites& writes = writes_.key(event.key);
    op.acked_before = writes.acked();
    if (op.value) writes.invoke_write(*op.value);
  }
  if (event.has_op) {
    open_by_op_[event.op] = op;
  } else {
    open_by_process_[event.process] = op;
  }
}

void RunAnalysis::on_completion(const TraceEvent& event, const TraceNames& names) {
  Completion done;
  done.outcome = event.type == EventType::Ok     ? Outcome::Ok
                 : event.type == EventType::Fail ? Outcome::Fail
                                                 : Outcome::Info;
  done.value = event.value;
  done.time = event.time;
  done.line = event.line;
  done.cas_failed = event.cas_failed;
  done.siblings = event.siblings;
  if (event.has_op) {
    auto it = open_by_op_.find(event.op);
    if (it == open_by_op_.end()) {
      ++unmatched_completions_;
      return;
    }
    complete(it->second, done, names);
    open_by_op_.erase(it);
  } else {
    auto it = open_by_process_.find(event.process);
    if (it == open_by_process_.end()) {
      ++unmatched_completions_;
      return;
    }
    complete(it->second, done, names);
    open_by_process_.erase(it);
  }
}

// A write, or a cas (ok and equal: a write of its new value; ok and unequal:
// nothing written; fail or info: like a write that failed or is in doubt).
void RunAnalysis::complete_write(const OpenOp& op, const Completion& done) {
  KeyWrites& writes = writes_.key(op.key);
  const std::optional<std::int64_t> written = op.value ? op.value : done.value;
  if (!written) return;
  if (done.outcome == Outcome::Ok && op.f == HistOp::Cas && done.cas_failed) {
    writes.wrote_nothing(*written);
  } else if (done.outcome == Outcome::Ok) {
    const std::uint64_t index =
        writes.acknowledge(*written, done.time, op.line, done.line, writes_.window());
    replicas_.on_ack(op.key, *written, index, done.time);
  } else {
    writes.not_acknowledged(*written);
  }
}

void RunAnalysis::complete(const OpenOp& op, const Completion& completion,
                           const TraceNames& names) {
  const Outcome outcome = completion.outcome;
  PhaseStats& stats = stats_[op.phase];
  const Time latency = completion.time - op.invoke_time;
  stats.ops.add(op.f, outcome, latency);
  ReadVerdict verdict;
  const ReadVerdict* read_verdict = nullptr;
  if (op.key != kNone) {
    KeyWrites& writes = writes_.key(op.key);
    if (op.f == HistOp::Write || op.f == HistOp::Cas) {
      complete_write(op, completion);
    } else if (outcome == Outcome::Ok && op.f == HistOp::Read) {  // a cas is not a read here
      ValueLookup source = writes.lookup(completion.value);
      verdict = classify_read(writes, source, op.acked_before, op.invoke_time);
      // A read with siblings counts by its freshest sibling (staleness.h).
      for (std::size_t i = 1; i < completion.siblings.size(); ++i) {
        const ValueLookup s = writes.lookup(completion.siblings[i]);
        const ReadVerdict v = classify_read(writes, s, op.acked_before, op.invoke_time);
        if (fresher(v, verdict)) verdict = v, source = s;
      }
      stats.reads.add(verdict);
      stats.visibility.add_read(writes, source, op.acked_before, op.invoke_time,
                                options_.visibility_window);
      read_verdict = &verdict;
    }
  }
  cap_.add_op(phases_.phases()[op.phase], phases_.partitions(), op.node, op.f, outcome, latency,
              read_verdict);
  const bool stale = read_verdict != nullptr && read_verdict->kind == ReadVerdict::Kind::Stale;
  CompletedOp done{op.f,    outcome,    op.key,         op.node, op.phase,
                   op.line, op.process, op.invoke_time, latency, stale};
  done.client = op.client;
  done.op = op.op;
  done.read = read_verdict;
  const MetricContext ctx = context(names);
  for (auto& metric : metrics_) metric->on_complete(done, ctx);
}

void RunAnalysis::on_fault(const TraceEvent& event, const TraceNames& names) {
  if (event.fault != kNone && !event.fault_end) {
    if (event.fault >= fault_kind_of_.size()) fault_kind_of_.resize(event.fault + 1, kNone);
    fault_kind_of_[event.fault] = event.fault_kind;
  }
  if (event.node != kNone && event.down) {
    if (event.fault_end)
      replicas_.on_restart(event.node, event.time);
    else
      replicas_.on_crash(event.node, event.time);
  }
  if (!phases_.on_fault(event, names)) return;
  if (phases_.current() >= stats_.size()) stats_.resize(phases_.current() + 1);
  replicas_.set_phase(phases_.current(), event.time);
  if (event.fault_end)
    replicas_.watch(event.fault, event.action, event.node, event.line, event.time);
}

void RunAnalysis::on_apply(const TraceEvent& event) {
  if (event.node == kNone || event.key == kNone) return;
  if (!event.siblings.empty()) {
    std::vector<ValueLookup> sources;
    for (std::int64_t v : event.siblings) sources.push_back(writes_.key(event.key).lookup(v));
    replicas_.on_apply_siblings(event.node, event.key, event.siblings, sources, event.time,
                                event.line);
    return;
  }
  const ValueLookup source = writes_.key(event.key).lookup(event.value);
  replicas_.on_apply(event.node, event.key, event.value, source, event.time, event.line);
}

void RunAnalysis::close_outstanding(Time end, const TraceNames& names) {
  // In invoke order, so the result does not depend on hash-map order.
  std::vector<OpenOp> open;
  for (const auto& [id, op] : open_by_op_) open.push_back(op);
  for (const auto& [process, op] : open_by_process_) open.push_back(op);
  std::sort(open.begin(), open.end(),
            [](const OpenOp& a, const OpenOp& b) { return a.line < b.line; });
  Completion closed;
  closed.time = end;
  for (const OpenOp& op : open) complete(op, closed, names);
  open_by_op_.clear();
  open_by_process_.clear();
}

nlohmann::json RunAnalysis::finish(const TraceNames& names) {
  const Time end = end_time_.value_or(last_time_);
  close_outstanding(end, names);
  phases_.finish(end);
  replicas_.finish(end);
  return build_report(names, end);
}

}  // namespace consim
