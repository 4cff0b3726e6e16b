// Fault kind "pause": a node freezes "at" a time (keeps its state, handles
// nothing) and goes on at "resume". Trace lines carry "node".
#pragma once

#include "sim/fault_kinds/node_fault.h"

namespace consim::kinds {

inline constexpr NodeFaultSpec kPauseSpec = {{"pause", &NodeControl::pause},
                                             {"resume", &NodeControl::resume},
                                             /*down=*/false};

inline const FaultKindEntry kPause = {
    "pause",
    "a node pauses \"at\" a time and resumes at \"resume\" (or stays paused)",
    "at",
    "resume",
    "pause",
    "resume",
    "paused",
    "pauses",
    1,
    parse_node_fault<kPauseSpec>,
    draw_node_fault<kPauseSpec>,
    nullptr,
    nullptr,
    R"({"type":"pause","node":"n4","at":"1s","resume":"4s"})",
};

}  // namespace consim::kinds
