// The cart checker core on hand-made histories whose answer is known:
// lost adds, resurrected removes, phantoms, and the histories that must
// pass (a concurrent remove excuses a missing add, a later add excuses a
// present item, failed and unknown outcomes).
#include "analysis/checkers/cart_check.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cart_check_test {

namespace {

namespace oh = consim::ophistory;

struct Cart {
  oh::SetHistory h;
  std::uint64_t line = 1;

  Cart& op(oh::SetF f, std::string item, std::int64_t invoke, std::int64_t complete,
           oh::Status status = oh::Status::Ok) {
    oh::SetOpRecord r{f,        "cart", "\"" + item + "\"", invoke,
                      complete, status, std::nullopt,       line++};
    if (status == oh::Status::Info) r.complete = oh::kNever;
    h.ops.push_back(r);
    return *this;
  }
  Cart& add(std::string item, std::int64_t a, std::int64_t b, oh::Status s = oh::Status::Ok) {
    return op(oh::SetF::Add, std::move(item), a, b, s);
  }
  Cart& remove(std::string item, std::int64_t a, std::int64_t b, oh::Status s = oh::Status::Ok) {
    return op(oh::SetF::Remove, std::move(item), a, b, s);
  }
  Cart& final_read(std::string where, std::vector<std::string> items) {
    for (auto& item : items) item = "\"" + item + "\"";
    h.final_reads.push_back({"cart", std::move(where), std::move(items), line++});
    return *this;
  }
};

}  // namespace

TEST_CASE("cart check: every add present and every remove gone is valid") {
  Cart c;
  c.add("hat", 10, 12).add("shoe", 11, 13).remove("hat", 20, 21);
  c.final_read("n1", {"shoe"}).final_read("n2", {"shoe"});
  const auto r = consim::check_cart(c.h);
  CHECK(r.result.verdict == consim::Verdict::Valid);
  CHECK(r.result.checker == "cart");
  CHECK(r.lost_adds == 0);
  CHECK(r.resurrected_removes == 0);
  CHECK(r.acknowledged_adds == 2);
  CHECK(r.acknowledged_removes == 1);
  CHECK(r.diverged_keys == 0);
}

TEST_CASE("cart check: an acknowledged add missing from the final read is a lost add") {
  Cart c;
  c.add("hat", 10, 12).add("sock", 15, 16);
  c.final_read("n1", {"sock"});
  const auto r = consim::check_cart(c.h);
  CHECK(r.result.verdict == consim::Verdict::Invalid);
  CHECK(r.lost_adds == 1);
  REQUIRE(r.result.violations.size() == 1);
  const auto& v = r.result.violations[0];
  CHECK(v.key == "cart");
  CHECK(v.ops == std::vector<std::uint64_t>{1});
  CHECK(v.slice == std::vector<std::uint64_t>{1, 3});
  CHECK(v.reason ==
        "add of \"hat\" acknowledged [10ns, 12ns] is missing from the final read at n1, and no "
        "remove of it came after");
}

TEST_CASE("cart check: a remove that may have followed the add excuses its absence") {
  Cart c;
  c.add("hat", 10, 20).remove("hat", 15, 16);                                    // concurrent
  c.add("shoe", 30, 31).remove("shoe", 5, 40, consim::ophistory::Status::Info);  // may be later
  c.final_read("n1", {});
  CHECK(consim::check_cart(c.h).result.verdict == consim::Verdict::Valid);
}

TEST_CASE("cart check: a remove that finished before the add does not excuse it") {
  Cart c;
  c.remove("hat", 1, 2).add("hat", 10, 12);
  c.final_read("n1", {});
  CHECK(consim::check_cart(c.h).lost_adds == 1);
}

TEST_CASE("cart check: an item back in the final read after its remove is resurrected") {
  Cart c;
  c.add("hat", 10, 12).remove("hat", 20, 21);
  c.final_read("n1", {"hat"}).final_read("n2", {});
  const auto r = consim::check_cart(c.h);
  CHECK(r.result.verdict == consim::Verdict::Invalid);
  CHECK(r.resurrected_removes == 1);
  CHECK(r.lost_adds == 0);  // the remove excuses the add's absence at n2
  CHECK(r.diverged_keys == 1);
  REQUIRE(r.result.violations.size() == 1);
  CHECK(r.result.violations[0].reason ==
        "remove of \"hat\" acknowledged [20ns, 21ns] is undone: the final read at n1 holds it, "
        "and every add of it finished before the remove began");
}

TEST_CASE("cart check: an add concurrent with the remove, or unknown, excuses a present item") {
  Cart c;
  c.add("hat", 10, 12).remove("hat", 20, 30).add("hat", 25, 26);
  c.add("shoe", 1, 2).remove("shoe", 20, 21).add("shoe", 3, 4, consim::ophistory::Status::Info);
  c.final_read("n1", {"hat", "shoe"});
  CHECK(consim::check_cart(c.h).result.verdict == consim::Verdict::Valid);
}

TEST_CASE("cart check: a remove the replica had not observed is never resurrected") {
  Cart c;
  c.add("hat", 10, 12).remove("hat", 20, 21);
  c.h.ops[1].observed = false;
  c.final_read("n1", {"hat"});
  CHECK(consim::check_cart(c.h).result.verdict == consim::Verdict::Valid);
}

TEST_CASE("cart check: failed ops never happened; an item nobody added is a phantom") {
  Cart c;
  c.add("hat", 10, 12, consim::ophistory::Status::Fail);
  c.add("shoe", 1, 2).remove("shoe", 5, 6, consim::ophistory::Status::Fail);
  c.final_read("n1", {"hat"});
  const auto r = consim::check_cart(c.h);
  CHECK(r.phantom_items == 1);
  CHECK(r.lost_adds == 1);  // the failed remove does not excuse shoe
  CHECK(r.result.violation_count == 2);
  CHECK(r.acknowledged_adds == 1);
  CHECK(r.result.violations[1].reason == "the final read at n1 holds \"hat\", which no add added");
}

TEST_CASE("cart check: violations are capped, the count is not") {
  Cart c;
  for (int i = 0; i < 30; ++i) c.add("item" + std::to_string(i), i, i + 1);
  c.final_read("n1", {});
  const auto r = consim::check_cart(c.h, 5);
  CHECK(r.lost_adds == 30);
  CHECK(r.result.violation_count == 30);
  CHECK(r.result.violations.size() == 5);
}

}  // namespace cart_check_test
