// Scripted sessions: the clients' side of workload.script (see clients.h for
// the client contract, scenario.h ScriptWorkload and docs/scenario-format.md
// "Scripted sessions" for the steps).
//
// A round runs the script's steps in order, one operation at a time: each
// step is invoked its think time (the step's, else the workload's) after the
// previous operation of the client completed. A step whose key or value
// depends on an earlier step of this round with no result (skipped, failed,
// unknown, or a read that returned nothing) is skipped, without an
// operation and without a think time of its own. A write step after the
// workload's writes_stop is skipped too. With fraction < 1 a round is, with
// probability 1 - fraction, one random operation of the register workload.
//
// Draws from the client's stream, in this order: per round, the mix draw
// (only when fraction < 1); per step, a uniform key's draw (only for a
// uniform key). Values come from the run's one counter, like every write.
//
// A comment (a write with "answers") records in script_refs_ what its value
// says: the value and key of the post it answers. A reader that read the
// comment finds the post's key there (key "post_of"), as a reader of a real
// comment follows its link; a value that is no scripted comment has none,
// so a post_of step after it is skipped.
#include <algorithm>
#include <memory>

#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {

struct ScriptRun {
  const ScriptWorkload* script = nullptr;
  std::uint64_t own_index = 0;                // the client's index in its group, for "own" keys
  std::uint64_t rounds = 0;                   // rounds completed
  bool random_round = false;                  // this round is one random operation
  std::size_t step = 0;                       // the step running or next
  std::vector<std::optional<Value>> results;  // this round's, per step
  std::vector<Key> keys;                      // the key each step used, this round
};

namespace {

const std::optional<Value>& dependency_result(const ScriptRun& run, std::size_t step) {
  return run.results[step];
}

using CommentRefs = std::map<Value, std::pair<Value, Key>>;

// Whether `step` can run now: every step it depends on has a result, and a
// post_of step's result is a scripted comment (`refs`).
bool runnable(const ScriptRun& run, const ScriptStep& step, bool writes_over,
              const CommentRefs& refs) {
  if (step.write && writes_over) return false;
  const ScriptKey& k = step.key;
  if ((k.kind == ScriptKey::Kind::SameAs || k.kind == ScriptKey::Kind::PostOf) &&
      !dependency_result(run, k.step))
    return false;
  if (k.kind == ScriptKey::Kind::PostOf && !refs.contains(*dependency_result(run, k.step)))
    return false;
  if (step.answers && !dependency_result(run, *step.answers)) return false;
  return true;
}

}  // namespace

void Clients::start_script(std::uint32_t client) {
  Client& c = clients_[client];
  auto run = std::make_shared<ScriptRun>();
  run->script = &*c.workload->script;
  run->own_index = client;
  for (const ClientGroup& g : scenario_.groups)
    if (client >= g.first_client && client < g.first_client + g.count)
      run->own_index = client - g.first_client;
  run->results.resize(run->script->steps.size());
  run->keys.resize(run->script->steps.size());
  run->random_round = run->script->fraction < 1 && c.rng.next_double() >= run->script->fraction;
  c.script = std::move(run);
}

void Clients::script_starts(std::uint32_t client) {
  Client& c = clients_[client];
  ScriptRun& run = *c.script;
  if (run.random_round) return issue(client, 0);
  const bool writes_over = c.workload->writes_stop && loop_.now() >= *c.workload->writes_stop;
  // Runnable when scheduled; writes_stop may have passed since.
  if (!runnable(run, run.script->steps[run.step], writes_over, script_refs_)) {
    Outstanding skipped;
    skipped.client = client;
    return script_done(skipped, nullptr);
  }
  const ScriptStep& step = run.script->steps[run.step];
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  req.type = step.write ? OpType::Write : OpType::Read;
  const ScriptKey& k = step.key;
  switch (k.kind) {
    case ScriptKey::Kind::Fixed:
      req.key = k.base;
      break;
    case ScriptKey::Kind::Uniform:
      req.key = k.base + c.rng.below(k.hi - k.base + 1);
      break;
    case ScriptKey::Kind::Own:
      req.key = k.base + run.own_index;
      break;
    case ScriptKey::Kind::SameAs:
      req.key = run.keys[k.step] + k.plus;
      break;
    case ScriptKey::Kind::PostOf:
      req.key = script_refs_.at(*run.results[k.step]).second + k.plus;
      break;
  }
  run.keys[run.step] = req.key;
  Outstanding o{client, c.process, c.leader.value_or(c.nodes[c.current]), req, 0};
  o.step = &step;
  if (step.write) {
    o.request.value = ++next_value_;
    if (step.answers) {
      const std::size_t a = *step.answers;
      o.answers = *run.results[a];
      script_refs_[o.request.value] = {*o.answers, run.keys[a]};
    }
  }
  o.request.session = c.session;
  OpRecord rec = record(OpPhase::Invoke, o, {});  // with the step's fields
  if (step.write) rec.value = o.request.value;
  trace_.op(loop_.now(), rec);
  const Transit transit{o.node, o.request, std::nullopt};
  outstanding_[o.request.op_id] = std::move(o);
  loop_.schedule_after(c.workload->timeout, events::OperationTimesOut{transit.request.op_id});
  send_over_link(client, transit);
}

// After an operation of the client (or a skipped step: `o.step` null in a
// script round): records the step's result, finds the next runnable step,
// or begins the next round, and schedules it a think time later.
void Clients::script_done(const Outstanding& o, const Reply* reply) {
  Client& c = clients_[o.client];
  ScriptRun& run = *c.script;
  const ScriptWorkload& script = *run.script;
  std::size_t next = script.steps.size();  // a random round is one operation
  if (!run.random_round) {
    const bool ok = o.step && reply && reply->outcome == Reply::Outcome::Ok;
    std::optional<Value> result;
    if (ok) result = o.step->write ? std::optional<Value>(o.request.value) : reply->value;
    run.results[run.step] = result;
    next = run.step + 1;
  }
  const bool writes_over = c.workload->writes_stop && loop_.now() >= *c.workload->writes_stop;
  while (next < script.steps.size() &&
         !runnable(run, script.steps[next], writes_over, script_refs_))
    ++next;
  if (next == script.steps.size()) {  // the round is over: begin the next one
    ++run.rounds;
    if (script.repeat && run.rounds >= *script.repeat) return;
    std::fill(run.results.begin(), run.results.end(), std::nullopt);
    run.random_round = script.fraction < 1 && c.rng.next_double() >= script.fraction;
    next = 0;
    if (!run.random_round)
      while (next < script.steps.size() &&
             !runnable(run, script.steps[next], writes_over, script_refs_))
        ++next;
    if (next == script.steps.size()) return;  // only writes, and writes have stopped
  }
  run.step = next;
  const Distribution& think = !run.random_round && script.steps[next].think_time
                                  ? *script.steps[next].think_time
                                  : c.workload->think_time;
  loop_.schedule_after(think.sample_time(c.rng), events::OperationStarts{o.client});
}

void Clients::script_fields(OpRecord& rec, const Outstanding& o) {
  if (!o.step) return;
  rec.step = o.step->name;
  rec.answers = o.answers;
}

}  // namespace consim
