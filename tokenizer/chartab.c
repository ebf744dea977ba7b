/*
 * Per-code-point facts, shared by every analyzer in the process.
 *
 * The BMP (every character of a Chinese document, nearly) is a table made
 * at build time by tools/gen_chartab.c from the same questions
 * (tokenizer/charprops.c), so a process builds nothing before its first
 * character: it faults in the 4 KiB pages of the table it reads. Beyond the
 * BMP, a page of 256 entries is filled the first time any of its characters
 * is seen (about 100 ns an entry; all 1.1M up front would cost tens of ms).
 * That storage is static (BSS, touched only where used), so building a page
 * cannot fail.
 */
#include <assert.h>
#include <pthread.h>
#include "tokenizer/tokenizer.h"

_Atomic unsigned char cdx_char_page_ready[0x1100];
uint32_t cdx_char_page_data[0x1100][256];

static pthread_mutex_t page_lock = PTHREAD_MUTEX_INITIALIZER;

void cdx_char_page_build(uint32_t page) {
  assert(page >= 0x100); /* the BMP is cdx_char_bmp */
  pthread_mutex_lock(&page_lock);
  if (!atomic_load_explicit(&cdx_char_page_ready[page], memory_order_relaxed)) {
    for (uint32_t k = 0; k < 256; k++)
      cdx_char_page_data[page][k] = cdx_char_compute_entry(page << 8 | k);
    atomic_store_explicit(&cdx_char_page_ready[page], 1, memory_order_release);
  }
  pthread_mutex_unlock(&page_lock);
}
