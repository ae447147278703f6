#pragma once
// Checks archive members on worker threads while the archive streams. The streaming thread hands
// over each member's bytes with the work to do on them; at most `max_queued_bytes` of members wait
// or are being checked at once (the streaming thread blocks beyond that). Each work writes its
// result into a slot its submitter made for it (a std::deque keeps earlier slots in place), so
// results are read in member order after wait(), whatever the scheduling.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace moat::dist {

class MemberPool {
 public:
  using Work = std::function<void(std::string_view data)>;

  /// `workers` threads (0: one per core); with one, work runs on the submitting thread.
  MemberPool(unsigned workers, std::uint64_t max_queued_bytes);
  ~MemberPool();
  MemberPool(const MemberPool&) = delete;
  MemberPool& operator=(const MemberPool&) = delete;

  /// Queues `work` on a copy of `data`; blocks while the queue holds more than max_queued_bytes
  /// (a member larger than that still goes through, alone).
  void submit(std::string_view data, Work work);

  /// Lends `bytes` to the pool until the next lend(): work submitted on data lying inside them keeps
  /// them alive and reads them in place instead of a copy. Only the submitting thread calls this.
  void lend(std::shared_ptr<const std::string> bytes);

  /// Queues `work`, which brings its own data (no copy, not counted against max_queued_bytes).
  void submit(std::function<void()> work);

  /// Waits for every submitted work. Rethrows what a work threw.
  void wait();

 private:
  struct Task {
    std::shared_ptr<const std::string> lent;  // holds the data when it lies in lent bytes
    std::string copy;                          // holds it otherwise
    std::size_t offset = 0;                    // of the data in `lent`
    std::size_t size = 0;
    Work work;
    std::string_view data() const { return lent ? std::string_view(*lent).substr(offset, size) : std::string_view(copy); }
  };
  void run_worker();

  std::uint64_t m_max_queued_bytes;
  std::mutex m_mutex;
  std::condition_variable m_work_ready;  // a task was queued, or the pool is closing
  std::condition_variable m_room;        // queued bytes went down
  std::deque<Task> m_queue;
  std::size_t m_pending = 0;          // works queued and running
  std::uint64_t m_pending_bytes = 0;  // their members' bytes
  bool m_closing = false;
  std::exception_ptr m_error;  // the first work that threw
  std::shared_ptr<const std::string> m_lent;
  std::vector<std::jthread> m_workers;
};

}  // namespace moat::dist
