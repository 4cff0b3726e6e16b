// Applying the fault schedule; see faults.h.
#include "sim/faults.h"

#include <cstdio>
#include <cstdlib>

#include "sim/partition.h"
#include "sim/trace_writer.h"

namespace consim {
namespace {

[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "consim: broken invariant: %s\n", what.c_str());
  std::abort();
}

FaultSpec draw_fault(const NemesisSpec& n, const Scenario& s, Rng& rng, Time at, int number) {
  FaultSpec f;
  f.kind = n.kinds[rng.below(n.kinds.size())];
  Time length = n.length.sample_time(rng);
  NemesisDraw draw{n, s.nodes.size(), s.nodes[rng.below(s.nodes.size())].name};
  f.name = "nemesis " + std::to_string(number) + " (" + f.kind->name + ")";
  f.start = at;
  if (f.kind->end_key) f.end = std::min(at + length, s.duration);
  f.effect = f.kind->draw(draw, rng);
  return f;
}

}  // namespace

std::vector<FaultSpec> expand_faults(const Scenario& scenario, Rng rng) {
  std::vector<FaultSpec> out = scenario.faults;
  if (!scenario.nemesis) return out;
  const NemesisSpec& n = *scenario.nemesis;
  Time t = n.start + n.interval.sample_time(rng);
  int number = 1;
  while (t < n.end && t < scenario.duration) {
    FaultSpec f = draw_fault(n, scenario, rng, t, number++);
    Time next_from = f.end.value_or(f.start);
    out.push_back(std::move(f));
    t = next_from + n.interval.sample_time(rng);
  }
  return out;
}

// One fault's view of the engine while its begin or end runs.
class Faults::Context final : public FaultContext {
 public:
  Context(EventLoop& loop, TraceWriter& trace, NodeControl& nodes, FaultNetwork& network,
          const NodeNames& names, Rng& rng)
      : loop_(loop), trace_(trace), nodes_(nodes), network_(network), names_(names), rng_(rng) {}

  void enter(std::uint32_t index, const FaultSpec& spec) {
    index_ = index;
    spec_ = &spec;
    lines_ = 0;
  }
  int lines() const { return lines_; }

  NodeControl& nodes() override { return nodes_; }
  const std::vector<std::string>& node_names() const override { return names_.all(); }
  Rng& rng() override { return rng_; }
  void add_cuts(CutMatrix cuts) override {
    cuts_[index_] = std::move(cuts);
    install_cuts();
  }
  void add_loss(LossMatrix loss) override {
    loss_[index_] = std::move(loss);
    install_loss();
  }
  void add_duplicate(LossMatrix duplicate) override {
    duplicate_[index_] = std::move(duplicate);
    network_.set_extra_duplicate(combined(duplicate_));
  }
  void remove_own() override {
    if (cuts_.erase(index_)) install_cuts();
    if (loss_.erase(index_)) install_loss();
    if (duplicate_.erase(index_)) network_.set_extra_duplicate(combined(duplicate_));
  }
  std::vector<std::vector<FaultNode>> sides() const override { return network_.sides(); }
  FaultNode node(const std::string& name) const override {
    if (auto id = names_.find(name)) return *id;
    broken("fault \"" + spec_->name + "\" names unknown node \"" + name + "\"");
  }
  void trace(const FaultLine& line) override {
    if (++lines_ > 1) broken("fault \"" + spec_->name + "\" wrote two trace lines for one edge");
    trace_.fault(loop_.now(), line);
  }

 private:
  void install_cuts() {
    std::vector<const BlockMatrix*> blocks;
    for (const auto& [index, matrix] : cuts_) blocks.push_back(&matrix);
    network_.set_cuts(union_blocks(blocks, names_.size()));
  }
  // Independent losses (or duplications) combine: a message escapes each
  // active one.
  LossMatrix combined(const std::map<std::uint32_t, LossMatrix>& active) const {
    LossMatrix total;
    if (!active.empty()) total.assign(names_.size(), std::vector<double>(names_.size(), 0));
    for (const auto& [index, loss] : active)
      for (std::size_t a = 0; a < total.size(); ++a)
        for (std::size_t b = 0; b < total.size(); ++b)
          total[a][b] = 1 - (1 - total[a][b]) * (1 - loss.at(a).at(b));
    return total;
  }
  void install_loss() { network_.set_extra_loss(combined(loss_)); }

  EventLoop& loop_;
  TraceWriter& trace_;
  NodeControl& nodes_;
  FaultNetwork& network_;
  const NodeNames& names_;
  Rng& rng_;
  std::uint32_t index_ = 0;
  const FaultSpec* spec_ = nullptr;
  int lines_ = 0;
  std::map<std::uint32_t, BlockMatrix> cuts_;
  std::map<std::uint32_t, LossMatrix> loss_;
  std::map<std::uint32_t, LossMatrix> duplicate_;
};

Faults::Faults(EventLoop& loop, TraceWriter& trace, NodeControl& nodes, FaultNetwork& network,
               const Scenario& scenario, const NodeNames& names, Rng rng, Rng nemesis_rng)
    : loop_(loop),
      duration_(scenario.duration),
      rng_(rng),
      faults_(expand_faults(scenario, nemesis_rng)),
      context_(std::make_unique<Context>(loop_, trace, nodes, network, names, rng_)) {}

Faults::~Faults() = default;

void Faults::start() {
  for (std::uint32_t i = 0; i < faults_.size(); ++i) {
    loop_.schedule_at(faults_[i].start, events::FaultBegins{i});
    if (faults_[i].end && *faults_[i].end < duration_)
      loop_.schedule_at(*faults_[i].end, events::FaultEnds{i});
  }
}

void Faults::run_edge(std::uint32_t index, bool is_end) {
  const FaultSpec& f = faults_.at(index);
  FaultLine line;
  line.fault = f.name;
  line.kind = f.kind->name;
  line.end = is_end;
  const char* action = is_end ? f.kind->end_action : f.kind->begin_action;
  if (action == nullptr) broken("fault \"" + f.name + "\" ends but its kind has no end");
  line.action = action;
  context_->enter(index, f);
  if (is_end)
    f.effect->end(*context_, line);
  else
    f.effect->begin(*context_, line);
  if (context_->lines() != 1) broken("fault \"" + f.name + "\" wrote no trace line");
}

}  // namespace consim
