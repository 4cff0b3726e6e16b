// Reading a duration distribution from JSON, for link latencies, think
// times and nemesis timings. docs/scenario-format.md lists the forms.
//
// Every parameter that is a time is a duration string with a unit ("2ms");
// shapes and weights are plain numbers. A bare duration string is a constant
// distribution: "latency": "2ms" equals {"type":"constant","value":"2ms"}.
// Invariants of the result: uniform min <= max; sd, sigma >= 0; exponential
// mean, lognormal median, pareto scale and shape > 0; mixture weights > 0;
// empirical values strictly increasing, probabilities non-decreasing in
// [0, 1] ending at exactly 1.
#pragma once

#include "base/distribution.h"
#include "base/json_input.h"

namespace consim {

Distribution parse_distribution(const JsonReader& value);

}  // namespace consim
