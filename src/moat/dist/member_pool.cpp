#include "moat/dist/member_pool.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "moat/util/huge_pages.hpp"

namespace moat::dist {

MemberPool::MemberPool(unsigned workers, std::uint64_t max_queued_bytes) : m_max_queued_bytes(max_queued_bytes) {
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  if (workers > 1)
    for (unsigned i = 0; i < workers; ++i) m_workers.emplace_back([this] {
      advise_huge_pages_for_thread_heap();
      run_worker();
    });
}

MemberPool::~MemberPool() {
  {
    const std::scoped_lock lock(m_mutex);
    m_closing = true;
  }
  m_work_ready.notify_all();
  m_workers.clear();  // joins
}

void MemberPool::submit(std::string_view data, Work work) {
  if (m_workers.empty()) {
    work(data);
    return;
  }
  std::unique_lock lock(m_mutex);
  m_room.wait(lock, [&] { return m_pending == 0 || m_pending_bytes + data.size() <= m_max_queued_bytes; });
  ++m_pending;
  m_pending_bytes += data.size();
  lock.unlock();
  Task task{nullptr, {}, 0, data.size(), std::move(work)};
  const std::less_equal<const char*> not_after;  // a total order, also between unrelated buffers
  if (m_lent && not_after(m_lent->data(), data.data()) &&
      not_after(data.data() + data.size(), m_lent->data() + m_lent->size())) {
    task.lent = m_lent;
    task.offset = static_cast<std::size_t>(data.data() - m_lent->data());
  } else {
    task.copy = std::string(data);
  }
  lock.lock();
  m_queue.push_back(std::move(task));
  lock.unlock();
  m_work_ready.notify_one();
}

void MemberPool::submit(std::function<void()> work) {
  if (m_workers.empty()) {
    work();
    return;
  }
  std::unique_lock lock(m_mutex);
  ++m_pending;
  m_queue.push_back({nullptr, {}, 0, 0, [work = std::move(work)](std::string_view) { work(); }});
  lock.unlock();
  m_work_ready.notify_one();
}

void MemberPool::lend(std::shared_ptr<const std::string> bytes) { m_lent = std::move(bytes); }

void MemberPool::wait() {
  std::unique_lock lock(m_mutex);
  m_room.wait(lock, [&] { return m_pending == 0; });
  if (m_error) std::rethrow_exception(std::exchange(m_error, nullptr));
}

void MemberPool::run_worker() {
  for (;;) {
    std::unique_lock lock(m_mutex);
    m_work_ready.wait(lock, [&] { return m_closing || !m_queue.empty(); });
    if (m_queue.empty()) return;  // closing
    Task task = std::move(m_queue.front());
    m_queue.pop_front();
    lock.unlock();
    std::exception_ptr error;
    try {
      task.work(task.data());
    } catch (...) {
      error = std::current_exception();  // rethrown by wait(), as if the work had run inline
    }
    lock.lock();
    if (error && !m_error) m_error = error;
    --m_pending;
    m_pending_bytes -= task.size;
    lock.unlock();
    m_room.notify_all();
  }
}

}  // namespace moat::dist
