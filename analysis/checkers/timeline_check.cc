// The timeline checker; see timeline_check.h for what it judges and the
// worked example. One pass over the history in invoke order, per process:
// what the process has seen (comments, hence posts it must see) and what
// it has posted, checked at each of its ok reads of a timeline key.
#include "analysis/checkers/timeline_check.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace consim {
namespace timeline_impl {

constexpr std::size_t kNoOp = SIZE_MAX;

struct Facts {
  std::map<std::int64_t, std::size_t> writer;         // value -> index of the write (first)
  std::map<std::int64_t, std::int64_t> post_of;       // comment value -> post value
  std::map<std::int64_t, std::size_t> comment_write;  // comment value -> index of its write
  std::vector<bool> timeline_key;                     // by key id
};

// A post the process must see on a key: the post's write, and why (the
// comment read that showed it, or kNoOp for its own post).
struct Must {
  std::size_t post = 0;
  std::size_t because = kNoOp;
  std::int64_t comment = 0;
};

// Per process: per key, the posts it must see.
using Session = std::map<std::uint32_t, std::vector<Must>>;

Facts gather(const History& h, TimelineCheck& out) {
  Facts f;
  f.timeline_key.assign(h.key_names.size(), false);
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const Operation& op = h.ops[i];
    if (op.f != HistOp::Read && op.value) f.writer.emplace(*op.value, i);
  }
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const Operation& op = h.ops[i];
    auto a = h.answers.find(op.invoke_line);
    if (a == h.answers.end() || !op.value) continue;
    auto post = f.writer.find(a->second);
    if (post == f.writer.end()) {
      ++out.unknown_posts;
      continue;
    }
    ++out.comments;
    f.post_of.emplace(*op.value, a->second);
    f.comment_write.emplace(*op.value, i);
    f.timeline_key[h.ops[post->second].key] = true;
  }
  return f;
}

// The values an ok read returned: its siblings when it has them.
std::vector<std::int64_t> returned(const History& h, const Operation& read) {
  auto s = h.read_siblings.find(read.invoke_line);
  if (s != h.read_siblings.end()) return s->second;
  if (read.value) return {*read.value};
  return {};
}

// Whether a read returning `values` misses post `post` (see the header):
// every value is nothing or an earlier write of the post's own process.
bool misses(const History& h, const Facts& f, const std::vector<std::int64_t>& values,
            std::size_t post) {
  const Operation& p = h.ops[post];
  for (std::int64_t v : values) {
    auto w = f.writer.find(v);
    if (w == f.writer.end()) return false;  // not a write of this history: not judged
    const Operation& got = h.ops[w->second];
    if (!(got.process == p.process && got.invoke_line < p.invoke_line)) return false;
  }
  return true;
}

std::string value_text(const std::vector<std::int64_t>& values) {
  if (values.empty()) return "nothing";
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? " and " : "") + std::to_string(values[i]);
  return out;
}

void add(TimelineCheck& out, std::size_t max, Violation v) {
  ++out.result.violation_count;
  if (out.result.violations.size() < max) out.result.violations.push_back(std::move(v));
}

void judge_read(const History& h, const Facts& f, const Session& s, std::size_t r,
                TimelineCheck& out, std::size_t max) {
  const Operation& read = h.ops[r];
  auto it = s.find(read.key);
  if (it == s.end()) return;
  const std::vector<std::int64_t> values = returned(h, read);
  const std::string key = h.key_names[read.key];
  const std::string got = "read key " + key + " (line " + std::to_string(read.invoke_line) +
                          ") and got " + value_text(values);
  bool causal_counted = false, own_counted = false;
  for (const Must& m : it->second) {
    const bool own = m.because == kNoOp;
    if (own ? own_counted : causal_counted) continue;
    own ? ++out.own_post_reads : ++out.post_reads;
    own ? own_counted = true : causal_counted = true;
    if (!misses(h, f, values, m.post)) continue;
    const Operation& post = h.ops[m.post];
    const std::string post_text =
        "post " + std::to_string(*post.value) + " (line " + std::to_string(post.invoke_line) + ")";
    Violation v;
    v.key = key;
    if (own) {
      ++out.own_post_missed;
      v.checker = "timeline-own-post";
      v.ops = {post.invoke_line, read.invoke_line};
      v.reason = "process " + std::to_string(read.process) + " wrote " + post_text +
                 " to its timeline, then " + got + ": it does not see its own post";
    } else {
      ++out.causal_anomalies;
      const Operation& comment_read = h.ops[m.because];
      const std::size_t cw = f.comment_write.at(m.comment);
      v.checker = "timeline-causal";
      v.ops = {h.ops[cw].invoke_line, post.invoke_line, comment_read.invoke_line, read.invoke_line};
      v.reason = "process " + std::to_string(read.process) + " read comment " +
                 std::to_string(m.comment) + " (written at line " +
                 std::to_string(h.ops[cw].invoke_line) + ", key " + h.key_names[comment_read.key] +
                 ", read at line " + std::to_string(comment_read.invoke_line) + ") answering " +
                 post_text + ", then " + got + ": the comment was visible before its post";
    }
    v.slice = v.ops;
    std::sort(v.slice.begin(), v.slice.end());
    add(out, max, std::move(v));
  }
}

// What an ok op teaches its process: a comment read requires its post; an
// own write to a timeline key is a post the process must see. Per key, kind
// (causal or own) and poster process only the latest post is kept: a read
// that misses an earlier post of that process misses the later one too.
void learn(const History& h, const Facts& f, std::size_t i, Session& s) {
  const Operation& op = h.ops[i];
  auto require = [&](std::uint32_t key, Must m) {
    auto& list = s[key];
    for (Must& old : list) {
      if ((old.because == kNoOp) != (m.because == kNoOp) ||
          h.ops[old.post].process != h.ops[m.post].process)
        continue;
      if (h.ops[old.post].invoke_line < h.ops[m.post].invoke_line) old = m;
      return;
    }
    list.push_back(m);
  };
  if (op.f == HistOp::Read) {
    for (std::int64_t v : returned(h, op)) {
      auto p = f.post_of.find(v);
      if (p == f.post_of.end()) continue;
      const std::size_t post = f.writer.at(p->second);
      require(h.ops[post].key, Must{post, i, v});
    }
  } else if (op.value && f.timeline_key[op.key] && !op.cas_failed) {
    require(op.key, Must{i, kNoOp, 0});
  }
}

}  // namespace timeline_impl

TimelineCheck check_timeline(const History& h, std::size_t max_violations) {
  TimelineCheck out;
  out.result.checker = "timeline";
  const timeline_impl::Facts f = timeline_impl::gather(h, out);
  std::map<std::int64_t, timeline_impl::Session> sessions;  // by process
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const Operation& op = h.ops[i];
    if (op.outcome != Outcome::Ok) continue;
    timeline_impl::Session& s = sessions[op.process];
    if (op.f == HistOp::Read) {
      timeline_impl::judge_read(h, f, s, i, out, max_violations);
      for (std::int64_t v : timeline_impl::returned(h, op))
        if (f.post_of.contains(v)) ++out.comment_reads;
    }
    timeline_impl::learn(h, f, i, s);
  }
  out.result.verdict = out.result.violation_count ? Verdict::Invalid : Verdict::Valid;
  out.result.note = std::to_string(out.causal_anomalies) + " of " + std::to_string(out.post_reads) +
                    " reads of a post after one of its comments missed the post; " +
                    std::to_string(out.own_post_missed) + " of " +
                    std::to_string(out.own_post_reads) +
                    " reads of a poster's own timeline missed its post";
  return out;
}

}  // namespace consim
