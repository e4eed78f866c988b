"""`make bench`, WordPress import: time and SQL queries per item must not grow with the export.

Imports two generated WXR exports, 100 posts with 1,000 comments and 1,000 posts with 10,000
comments (Gutenberg sections, threaded replies, every comment status), into the bench database
and compares the cost per item (a post or a comment). Queries per item must not grow; time per
item may not more than double (the machine is shared, so time is noisier than queries).
"""

import time
from xml.sax.saxutils import escape

from django.db import connection

SIZES = ((100, 10), (1_000, 10))  # posts, comments per post
TIME_GROWTH_LIMIT = 2.0
STATUSES = ("1", "1", "1", "0", "1", "spam", "1", "trash", "1", "1")


def _comment(post: int, number: int) -> str:
    comment_id = post * 100 + number
    # Threads: every third comment replies to the one before it, so replies go 2-3 deep.
    parent = comment_id - 1 if number % 3 else 0
    text = f"Thank you, this helped. <strong>Question {number}</strong>: how long does it take?"
    status = STATUSES[number % len(STATUSES)]
    return f"""
		<wp:comment>
			<wp:comment_id>{comment_id}</wp:comment_id>
			<wp:comment_author><![CDATA[Reader {number}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[reader{number}@example.org]]></wp:comment_author_email>
			<wp:comment_author_url><![CDATA[]]></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[192.0.2.{number + 1}]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-01-02 10:{number:02d}:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-01-02 10:{number:02d}:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[{text}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[{status}]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>"""


def _post(site: str, post: int, comments: int) -> str:
    content = "\n".join(
        f'<!-- wp:heading -->\n<h2 class="wp-block-heading">Section {n}</h2>\n'
        "<!-- /wp:heading -->\n"
        f"<!-- wp:paragraph -->\n<p>Text of section {n} with <em>emphasis</em> and "
        f'<a href="https://example.org/{n}">a link</a>.</p>\n<!-- /wp:paragraph -->\n'
        f"<!-- wp:list -->\n<ul><li>One</li><li>Two</li></ul>\n<!-- /wp:list -->"
        for n in range(1, 4)
    )
    intro = f"<!-- wp:paragraph -->\n<p>Introduction to post {post}.</p>\n<!-- /wp:paragraph -->"
    body = f"{intro}\n{content}"
    comments_xml = "".join(_comment(post, n) for n in range(comments))
    return f"""
	<item>
		<title><![CDATA[Benchmark post {post}]]></title>
		<link>{site}/2024/01/benchmark-post-{post}/</link>
		<dc:creator><![CDATA[editor]]></dc:creator>
		<guid isPermaLink="false">{site}/?p={post}</guid>
		<content:encoded><![CDATA[{body}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{post}</wp:post_id>
		<wp:post_date><![CDATA[2024-01-01 09:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-01-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_modified_gmt><![CDATA[2024-01-01 09:00:00]]></wp:post_modified_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[{escape(site.split("//")[1].split(".")[0])}-post-{post}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<category domain="category" nicename="news"><![CDATA[News]]></category>{comments_xml}
	</item>"""


def generate_export(site: str, posts: int, comments_per_post: int) -> bytes:
    """A WXR 1.2 export as WordPress 6 writes it, with `posts` posts and their comments."""
    items = "".join(_post(site, post, comments_per_post) for post in range(1, posts + 1))
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Benchmark</title>
	<link>{site}</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{site}</wp:base_site_url>
	<wp:base_blog_url>{site}</wp:base_blog_url>{items}
</channel>
</rss>
""".encode()


def measure(posts: int, comments_per_post: int) -> dict[str, float]:
    from immunotherapy.wordpress.importer import run_import

    export = generate_export(f"https://bench{posts}.example", posts, comments_per_post)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        report = run_import(export)
    seconds = time.perf_counter() - started
    if report.failures or report.count("posts", "created") != posts:
        raise SystemExit(f"bench: the WordPress import failed: {report.failures[:3]}")
    items = posts + report.count("comments", "created")
    return {"posts": posts, "items": items, "seconds": seconds, "queries": queries}


def bench() -> list[str]:
    """Run both sizes, print the table, and return the bounds missed."""
    rows = [measure(posts, per_post) for posts, per_post in SIZES]
    print("\nWordPress import (posts with 10 comments each)")
    print(f"{'export':<28}{'items':>7}{'seconds':>9}{'ms/item':>9}{'queries/item':>14}")
    for row in rows:
        row["ms"] = row["seconds"] * 1000 / row["items"]
        row["qpi"] = row["queries"] / row["items"]
        label = f"{row['posts']} posts, {row['items'] - row['posts']} comments"
        print(
            f"{label:<28}{row['items']:>7}{row['seconds']:>9.1f}{row['ms']:>9.2f}{row['qpi']:>14.2f}"
        )
    small, large = rows
    failures = []
    if large["qpi"] > small["qpi"]:
        failures.append(
            f"WordPress import: {large['qpi']:.2f} queries per item at {large['items']} items, "
            f"{small['qpi']:.2f} at {small['items']}"
        )
    if large["ms"] > small["ms"] * TIME_GROWTH_LIMIT:
        failures.append(
            f"WordPress import: {large['ms']:.2f} ms per item at {large['items']} items, "
            f"{small['ms']:.2f} at {small['items']}"
        )
    return failures
