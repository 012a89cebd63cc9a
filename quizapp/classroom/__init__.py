"""A class on one PostgreSQL database: setting it up (`quizapp class init`), adding learners
and instructors (`class add-learner`, `class add-instructor`) and, for the instructor, reading
across learners. The SQL (roles, grants, row-level security) is in `quizapp.store.class_roles`.
"""
