// Applying the fault schedule; see faults.h.
#include "sim/faults.h"

#include <cstdio>
#include <cstdlib>

#include "sim/partition.h"
#include "sim/world.h"

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

// The World seen through the narrow interfaces of fault_kind.h.
class Faults::Ports final : public NodeControl, public FaultNetwork {
 public:
  explicit Ports(World& w) : w_(w) {}
  void crash(FaultNode n) override { w_.nodes.at(n)->crash(); }
  void restart(FaultNode n) override { w_.nodes.at(n)->restart(); }
  void pause(FaultNode n) override { w_.nodes.at(n)->pause(); }
  void resume(FaultNode n) override { w_.nodes.at(n)->resume(); }
  void set_clock(FaultNode n, std::optional<Time> offset, std::optional<double> drift) override {
    w_.nodes.at(n)->set_clock(offset, drift);
  }
  Time clock_offset(FaultNode n) const override { return w_.nodes.at(n)->clock_offset(); }
  double drift_ppm(FaultNode n) const override { return w_.nodes.at(n)->drift_ppm(); }
  void set_cuts(const CutMatrix& cuts) override {
    w_.topology.set_blocked(cuts);
    w_.transport.cuts_changed();
  }
  std::vector<std::vector<FaultNode>> sides() const override { return w_.topology.sides(); }
  void set_extra_loss(const LossMatrix& loss) override { w_.transport.set_extra_loss(loss); }
  FaultPorts ports() { return FaultPorts{*this, *this, w_.trace, w_.node_names}; }

 private:
  World& w_;
};

// One fault's view of the engine while its begin or end runs.
class Faults::Context final : public FaultContext {
 public:
  Context(FaultPorts ports, EventLoop& loop, Rng& rng) : p_(ports), loop_(loop), rng_(rng) {}

  void enter(std::uint32_t index, const FaultSpec& spec) {
    index_ = index;
    spec_ = &spec;
    lines_ = 0;
  }
  int lines() const { return lines_; }

  NodeControl& nodes() override { return p_.nodes; }
  const std::vector<std::string>& node_names() const override { return p_.node_names; }
  Rng& rng() override { return rng_; }
  void add_cuts(CutMatrix cuts) override {
    cuts_[index_] = std::move(cuts);
    install_cuts();
  }
  void add_loss(LossMatrix loss) override {
    loss_[index_] = std::move(loss);
    install_loss();
  }
  void remove_own() override {
    if (cuts_.erase(index_)) install_cuts();
    if (loss_.erase(index_)) install_loss();
  }
  std::vector<std::vector<FaultNode>> sides() const override { return p_.network.sides(); }
  FaultNode node(const std::string& name) const override {
    for (FaultNode i = 0; i < p_.node_names.size(); ++i)
      if (p_.node_names[i] == name) return i;
    broken("fault \"" + spec_->name + "\" names unknown node \"" + name + "\"");
  }
  void trace(const FaultLine& line) override {
    if (++lines_ > 1) broken("fault \"" + spec_->name + "\" wrote two trace lines for one edge");
    p_.trace.fault(loop_.now(), line);
  }

 private:
  void install_cuts() {
    std::vector<const BlockMatrix*> blocks;
    for (const auto& [index, matrix] : cuts_) blocks.push_back(&matrix);
    p_.network.set_cuts(union_blocks(blocks, p_.node_names.size()));
  }
  // Independent losses combine: a message survives each active one.
  void install_loss() {
    LossMatrix total;
    if (!loss_.empty())
      total.assign(p_.node_names.size(), std::vector<double>(p_.node_names.size(), 0));
    for (const auto& [index, loss] : loss_)
      for (std::size_t a = 0; a < total.size(); ++a)
        for (std::size_t b = 0; b < total.size(); ++b)
          total[a][b] = 1 - (1 - total[a][b]) * (1 - loss.at(a).at(b));
    p_.network.set_extra_loss(total);
  }

  FaultPorts p_;
  EventLoop& loop_;
  Rng& rng_;
  std::uint32_t index_ = 0;
  const FaultSpec* spec_ = nullptr;
  int lines_ = 0;
  std::map<std::uint32_t, BlockMatrix> cuts_;
  std::map<std::uint32_t, LossMatrix> loss_;
};

Faults::Faults(World& world)
    : loop_(world.loop),
      duration_(world.scenario.duration),
      sink_(world.loop.add_sink(this)),
      rng_(world.root.fork("faults")),
      faults_(expand_faults(world.scenario, world.root.fork("nemesis"))),
      ports_(std::make_unique<Ports>(world)),
      context_(std::make_unique<Context>(ports_->ports(), loop_, rng_)) {}

Faults::~Faults() = default;

void Faults::start() {
  for (std::uint32_t i = 0; i < faults_.size(); ++i) {
    loop_.schedule_at(faults_[i].start, sink_, i, 0);
    if (faults_[i].end && *faults_[i].end < duration_)
      loop_.schedule_at(*faults_[i].end, sink_, i, 1);
  }
}

void Faults::on_event(std::uint32_t index, std::uint64_t is_end) { run_edge(index, is_end != 0); }

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
