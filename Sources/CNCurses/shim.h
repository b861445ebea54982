// Wide-character ncurses for Swift. The defines must come before <curses.h> so that the
// wide-character API (add_wch, setcchar, get_wch) is declared; the inline wrappers expose
// the macros Swift cannot import.
#ifndef VAULTWATCH_CNCURSES_SHIM_H
#define VAULTWATCH_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline int vw_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int vw_pair_number(int attributes) { return (int)PAIR_NUMBER(attributes); }
static inline int vw_lines(void) { return LINES; }
static inline int vw_cols(void) { return COLS; }
static inline void vw_getmaxyx(WINDOW *window, int *rows, int *columns) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *columns = x;
}
static inline WINDOW *vw_stdscr(void) { return stdscr; }

static inline attr_t vw_a_normal(void) { return A_NORMAL; }
static inline attr_t vw_a_bold(void) { return A_BOLD; }
static inline attr_t vw_a_dim(void) { return A_DIM; }
static inline attr_t vw_a_reverse(void) { return A_REVERSE; }
static inline attr_t vw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t vw_a_standout(void) { return A_STANDOUT; }
static inline attr_t vw_a_italic(void) { return A_ITALIC; }

static inline int vw_key_resize(void) { return KEY_RESIZE; }
static inline int vw_key_code_yes(void) { return KEY_CODE_YES; }

#endif
