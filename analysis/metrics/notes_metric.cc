// The "notes" section of report.json: the model's notes counted by kind,
// with the distribution of how long the state a note ends lasted (for
// instance "resolved" after an in-doubt wait); see note_stats.h, metric.h.
#include <nlohmann/json.hpp>

#include "analysis/metrics/metric.h"
#include "analysis/metrics/note_stats.h"

namespace consim {
namespace {

class NotesMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext&) override {
    if (event.type == EventType::Note) notes_.add(event.what, event.lasted);
  }
  nlohmann::json report(const MetricContext& context) const override {
    return notes_.to_json(context.names.notes);
  }

 private:
  NoteStats notes_;
};

}  // namespace

std::unique_ptr<Metric> make_notes_metric() { return std::make_unique<NotesMetric>(); }

}  // namespace consim
