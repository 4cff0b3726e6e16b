// Definitions for the small helpers declared in model.h.
#include "models/model.h"

namespace consim {

std::string_view op_name(OpType t) {
  switch (t) {
    case OpType::Read:
      return "read";
    case OpType::Write:
      return "write";
    case OpType::Cas:
      return "cas";
    case OpType::Add:
      return "add";
    case OpType::Remove:
      return "remove";
    case OpType::Incr:
      return "incr";
  }
  return "unknown";
}

std::string_view data_type_name(DataType t) {
  switch (t) {
    case DataType::Register:
      return "register";
    case DataType::Set:
      return "set";
    case DataType::Counter:
      return "counter";
  }
  return "unknown";
}

}  // namespace consim
