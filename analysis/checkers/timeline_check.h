// The timeline checker: a social timeline of scripted sessions (posts,
// comments that answer posts, readers), docs/checkers.md "timeline".
//
// A comment is a write with "answers": P, the value of the post it answers
// (History::answers); the post is the write of P, on its timeline key. A
// read of a timeline key "misses" post P when it returns nothing, or a
// write that P's own process wrote before P (an older post of the same
// timeline); every other value is P or may be later than P, and is not
// judged (writes of other processes to the key are not ordered against P).
//  - causal: a process that read a comment (an ok read returning it, or one
//    of its siblings) and afterwards reads the answered post's key must not
//    miss the post. Example: reader process 4 reads key 10 and gets
//    comment 25, which answers post 17 on key 0; it then reads key 0 and
//    gets null: a causal anomaly (the comment was visible before its post),
//    named by the comment, the post and both reads.
//  - own post (read-your-writes on a timeline): a process that wrote post P
//    (ok) and afterwards reads P's key must not miss P. A timeline key is
//    one that holds a post some comment answers; every write to it counts
//    as a post.
// The verdict is invalid iff any read misses; a history without comments
// is not judged (the registry runs nothing for it).
#pragma once

#include <cstddef>
#include <cstdint>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct TimelineCheck {
  CheckResult result;                  // checker "timeline"
  std::uint64_t comments = 0;          // writes with "answers" whose post is in the history
  std::uint64_t comment_reads = 0;     // ok reads that returned a comment
  std::uint64_t post_reads = 0;        // reads of a post's key after one of its comments
  std::uint64_t causal_anomalies = 0;  // ... that missed the post
  std::uint64_t own_post_reads = 0;    // a poster's reads of its timeline after a post
  std::uint64_t own_post_missed = 0;   // ... that missed the post
  std::uint64_t unknown_posts = 0;     // comments answering a value no write in the history wrote
};

// At most `max_violations` violations are kept (result.violation_count
// counts them all).
TimelineCheck check_timeline(const History& history, std::size_t max_violations = 10);

}  // namespace consim
