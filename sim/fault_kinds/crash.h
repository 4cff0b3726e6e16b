// Fault kind "crash": a node stops and loses its volatile state "at" a
// time, and comes back at "restart". Trace lines carry "node" and
// "down": true (the node's replicas do not count while it is down).
#pragma once

#include "sim/fault_kinds/node_fault.h"

namespace consim::kinds {

inline constexpr NodeFaultSpec kCrashSpec = {{"crash", &NodeControl::crash},
                                             {"restart", &NodeControl::restart},
                                             /*down=*/true};

inline const FaultKindEntry kCrash = {
    "crash",
    "a node crashes \"at\" a time and restarts at \"restart\" (or stays down)",
    "at",
    "restart",
    "crash",
    "restart",
    "crashed",
    "crashes",
    1,
    parse_node_fault<kCrashSpec>,
    draw_node_fault<kCrashSpec>,
    nullptr,
    nullptr,
    R"({"type":"crash","node":"n2","at":"3s","restart":"6s"})",
};

}  // namespace consim::kinds
