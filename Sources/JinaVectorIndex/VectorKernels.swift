/// The inner loops of exact search, on raw pointers so that the compiler emits SIMD code
/// without bounds checks: four 8-lane accumulators per row hide the add latency.
enum VectorKernels {
    /// q · v over `count` floats.
    @inline(__always)
    static func dot(_ q: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ count: Int) -> Float {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var index = 0
        let q8 = UnsafeRawPointer(q), v8 = UnsafeRawPointer(v)
        while index + 32 <= count {
            let offset = index * MemoryLayout<Float>.stride
            a0 += q8.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * v8.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            a1 += q8.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
                * v8.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
            a2 += q8.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self)
                * v8.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self)
            a3 += q8.loadUnaligned(fromByteOffset: offset + 96, as: SIMD8<Float>.self)
                * v8.loadUnaligned(fromByteOffset: offset + 96, as: SIMD8<Float>.self)
            index += 32
        }
        while index + 8 <= count {
            let offset = index * MemoryLayout<Float>.stride
            a0 += q8.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * v8.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            index += 8
        }
        var sum = ((a0 + a1) + (a2 + a3)).sum()
        while index < count {
            sum += q[index] * v[index]
            index += 1
        }
        return sum
    }

    /// ‖q − v‖² over `count` floats.
    @inline(__always)
    static func squaredDistance(_ q: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ count: Int) -> Float {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
        var index = 0
        let q8 = UnsafeRawPointer(q), v8 = UnsafeRawPointer(v)
        while index + 16 <= count {
            let offset = index * MemoryLayout<Float>.stride
            let d0 = q8.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                - v8.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let d1 = q8.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
                - v8.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
            a0 += d0 * d0
            a1 += d1 * d1
            index += 16
        }
        var sum = (a0 + a1).sum()
        while index < count {
            let difference = q[index] - v[index]
            sum += difference * difference
            index += 1
        }
        return sum
    }
}
