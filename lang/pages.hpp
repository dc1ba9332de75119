// SPDX-License-Identifier: Apache-2.0
// Memory for large buffers — a big input's text, the blocks of a document arena — mapped from
// the kernel and, from 2 MiB on, marked for transparent huge pages (MADV_HUGEPAGE). A 4 KiB
// page fault is slow on virtual machines (about 15 µs on the benchmark's VM: a 76 MB YAML file
// and its documents took 75,000 of them, a quarter of `pol check`'s time); a 2 MiB page is one
// fault for 512 of them, and fewer TLB misses while the documents are read.
#pragma once

#include <cstddef>
#include <memory_resource>

namespace pol::lang {

// Below this, buffers come from operator new as usual.
constexpr size_t huge_page_bytes = size_t{2} << 20;

// Zeroed memory of at least `bytes`, in pages; nullptr if the kernel refuses it.
void* map_pages(size_t bytes);
void unmap_pages(void* pages, size_t bytes);

// An upstream for std::pmr pools: blocks from huge_page_bytes on are mapped pages, smaller ones
// operator new's. One instance serves every thread (it holds no state).
std::pmr::memory_resource* page_resource();

}  // namespace pol::lang
