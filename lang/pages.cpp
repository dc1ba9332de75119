// SPDX-License-Identifier: Apache-2.0
#include "lang/pages.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace pol::lang {

namespace {

size_t round_up(size_t bytes) { return (bytes + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes; }

class PageResource final : public std::pmr::memory_resource {
  void* do_allocate(size_t bytes, size_t alignment) override {
    if (bytes < huge_page_bytes) return ::operator new(bytes, std::align_val_t(alignment));
    void* pages = map_pages(bytes);
    if (!pages) throw std::bad_alloc();
    return pages;
  }
  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    if (bytes < huge_page_bytes) return ::operator delete(p, std::align_val_t(alignment));
    unmap_pages(p, bytes);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

}  // namespace

void* map_pages(size_t bytes) {
  // A huge page must be aligned to its size: map one more and give back the unaligned ends.
  const size_t size = round_up(bytes);
  void* mapped = mmap(nullptr, size + huge_page_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(mapped);
  const uintptr_t aligned = (start + huge_page_bytes - 1) / huge_page_bytes * huge_page_bytes;
  if (aligned > start) munmap(mapped, aligned - start);
  if (const size_t tail = start + size + huge_page_bytes - (aligned + size)) munmap(reinterpret_cast<void*>(aligned + size), tail);
  madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // advice: ignored where THP is off
  return reinterpret_cast<void*>(aligned);
}

void unmap_pages(void* pages, size_t bytes) { munmap(pages, round_up(bytes)); }

std::pmr::memory_resource* page_resource() {
  // Never destroyed: arenas held by static objects are released after every static is gone.
  static PageResource* const resource = new PageResource;
  return resource;
}

}  // namespace pol::lang
