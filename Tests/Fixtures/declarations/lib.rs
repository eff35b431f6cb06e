pub fn 1️⃣index(req: &Request) -> Response {
    let body = render(req);
    Response::new(body) // 2️⃣
}
