/** Classroom lessons: their definitions, links, and runners. */
export type { LessonContext, LessonDef, LessonId, LessonOutput, LessonParam, Notice, Params } from './types.ts';
export { LESSONS, defaultParams, lessonDef } from './catalog.ts';
export { lessonFromHash, lessonHash } from './link.ts';
export { runLesson } from './run-lesson.ts';
