// Worker threads for independent runs, and temporary directories; see
// run_pool.h.
#include "cli/run_pool.h"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "base/output_file.h"

namespace consim::cli {

void run_in_parallel(std::uint64_t count, unsigned jobs,
                     const std::function<void(std::uint64_t)>& work,
                     const std::function<void(std::uint64_t)>& done) {
  if (count == 0) return;
  std::vector<bool> ready(count, false);
  std::atomic<std::uint64_t> next{0};
  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr failure;  // an unexpected error (a bug, or a disk error) stops the loop
  auto worker = [&] {
    for (std::uint64_t i = next++; i < count; i = next++) {
      try {
        work(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
      std::lock_guard lock(mutex);
      ready[i] = true;
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  const auto n = static_cast<unsigned>(std::min<std::uint64_t>(std::max(jobs, 1u), count));
  for (unsigned j = 0; j < n; ++j) threads.emplace_back(worker);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return ready[i] || failure; });
    if (failure) break;
    lock.unlock();
    if (done) done(i);
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw OutputError("cannot create a temporary directory like " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace consim::cli
