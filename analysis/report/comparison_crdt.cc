// The comparison's set and counter table; see comparison_crdt.h.
//
// Example (consim compare scenarios/cart-partition.json):
//   sets and counters (final reads judged by the cart and counter checkers):
//   model           cart     lost adds  resurrected  counter  lost incr
//   eventual-async  valid    0          0            -        -
#include "analysis/report/comparison_crdt.h"

#include <nlohmann/json.hpp>

#include "base/text_table.h"

namespace consim {
namespace {

const nlohmann::json& at(const nlohmann::json& j, const char* name) {
  static const nlohmann::json null;
  return j.is_object() && j.contains(name) ? j[name] : null;
}

bool judged(const nlohmann::json& check) {
  const nlohmann::json& n = at(check, "final_reads");
  return n.is_number() && n.get<double>() > 0;
}

std::string text(const nlohmann::json& j) {
  if (j.is_null()) return "-";
  return j.is_string() ? j.get<std::string>() : j.dump();
}

}  // namespace

std::string crdt_table(const std::vector<nlohmann::json>& reports) {
  const std::vector<std::string> heads = {"model",       "cart",    "lost adds",
                                          "resurrected", "counter", "lost incr"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& report : reports) {
    const nlohmann::json& checks = at(report, "checkers");
    const nlohmann::json& cart = at(checks, "cart");
    const nlohmann::json& counter = at(checks, "counter");
    const bool sets = judged(cart), counters = judged(counter);
    if (!sets && !counters) continue;
    rows.push_back({text(at(report, "model")), sets ? text(at(cart, "verdict")) : "-",
                    sets ? text(at(cart, "lost_adds")) : "-",
                    sets ? text(at(cart, "resurrected_removes")) : "-",
                    counters ? text(at(counter, "verdict")) : "-",
                    counters ? text(at(counter, "lost_increments")) : "-"});
  }
  if (rows.empty()) return "";
  return "\nsets and counters (final reads judged by the cart and counter checkers):\n" +
         aligned_table(heads, rows);
}

}  // namespace consim
